// ⑧ HTML escaping and URL encoding for the server-rendered pages: every piece
// of user data (case data, ids, party names, history text, workflow source)
// reaches a page only through Escape or UrlEncode.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace zgtflow::web::pages {

// Text safe in HTML element content and in double- or single-quoted
// attribute values: & < > " ' are replaced by entities, NUL and other C0
// control characters (except tab, newline, carriage return) by U+FFFD, and
// invalid UTF-8 bytes by U+FFFD (so a hostile byte cannot start a sequence
// that swallows the quote after it).
std::string Escape(std::string_view text);

// Percent-encoding of `text` for a URL path segment or query value
// (RFC 3986 unreserved characters kept).
std::string UrlEncode(std::string_view text);

// "?a=1&b=2" from the non-empty values of `params` ("" when none), encoded.
std::string QueryString(const std::map<std::string, std::string>& params);

}  // namespace zgtflow::web::pages
