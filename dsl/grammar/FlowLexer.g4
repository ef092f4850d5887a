// Tokens of the .flow workflow language (① text → ② dsl). Keywords are soft:
// the parser's `name` rule accepts most of them as identifiers, so a field may
// be called `year` or an event `record`, as the measures name them.
lexer grammar FlowLexer;

WORKFLOW  : 'workflow';
ROLES     : 'roles';
CITES     : 'cites';
CALENDAR  : 'calendar';
DATA      : 'data';
STATE     : 'state';
INITIAL   : 'initial';
FINAL     : 'final';
PARALLEL  : 'parallel';
CHOICE    : 'choice';
ENTRY     : 'entry';
EXIT      : 'exit';
ON        : 'on';
BY        : 'by';
IF        : 'if';
ELSE      : 'else';
REQUIRE   : 'require';
DO        : 'do';
ALWAYS    : 'always';
AFTER     : 'after';
AT        : 'at';
EVERY     : 'every';
UNTIL     : 'until';
SET       : 'set';
NOTIFY    : 'notify';
CALL      : 'call';
REPLY     : 'reply';
FAILURE   : 'failure';
START     : 'start';
WITH      : 'with';
RECORD    : 'record';
EMIT      : 'emit';
SEND      : 'send';
TO        : 'to';
MATCHING  : 'matching';
REQUIRED  : 'required';
DEFAULT   : 'default';
LIST      : 'list';
OF        : 'of';
ENUM      : 'enum';
PARTY     : 'party';
AND       : 'and';
OR        : 'or';
NOT       : 'not';
IN        : 'in';
TRUE      : 'true';
FALSE     : 'false';
NOW       : 'now';

// Duration units; singular and plural are the same unit.
MINUTE    : 'minute' | 'minutes';
HOUR      : 'hour' | 'hours';
HALF      : 'half';
DAY       : 'day' | 'days';
WORKING   : 'working';
NATURAL   : 'natural';
WEEK      : 'week' | 'weeks';
MONTH     : 'month' | 'months';
QUARTER   : 'quarter' | 'quarters';
YEAR      : 'year' | 'years';

ARROW     : '->';
EQEQ      : '==';
NEQ       : '!=';
LE        : '<=';
GE        : '>=';
LT        : '<';
GT        : '>';
ASSIGN    : '=';
PLUS      : '+';
MINUS     : '-';
STAR      : '*';
SLASH     : '/';
LBRACE    : '{';
RBRACE    : '}';
LPAREN    : '(';
RPAREN    : ')';
LBRACK    : '[';
RBRACK    : ']';
COMMA     : ',';
DOT       : '.';
COLON     : ':';
SEMI      : ';';

NUMBER    : [0-9]+ ('.' [0-9]+)?;
// Unicode identifiers: letters of any script, digits after the first character.
ID        : [\p{L}_] [\p{L}\p{N}_]*;
STRING    : '"' (~["\\\r\n] | '\\' .)* '"';

// Comments are kept on their own channel so `zgtflow fmt` can put them back.
COMMENT   : '#' ~[\r\n]* -> channel(2);
WS        : [ \t\r\n\u3000]+ -> skip;  // Layout is fmt's to decide; no token is kept.
// Anything else is one bad character; the parser reports it with its position.
ERROR_CHAR: .;
