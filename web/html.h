// ⑧ HTML escaping: user data reaches HTML only through Escape (pages and the
// login form alike).
#pragma once

#include <string>

namespace zgtflow::web::html {

// `text` with & < > " ' replaced by entities; safe in element text and in
// double- or single-quoted attribute values.
std::string Escape(const std::string& text);

// `text` percent-encoded for a URL query value or path segment (RFC 3986
// unreserved bytes kept; UTF-8 bytes encoded).
std::string UrlEncode(const std::string& text);

}  // namespace zgtflow::web::html
