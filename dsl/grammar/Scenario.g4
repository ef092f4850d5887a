// The .scenario language (DSL.md): one step per line, JSON payloads.
// dsl/scenario/scenario_parser.cc turns the parse tree into scenario::Step values.
grammar Scenario;

file        : NL* (step (NL+ | EOF))* EOF;
step        : SCENARIO STRING                                  # scenarioStep
            | WORKFLOW word                                    # workflowStep
            | AT TIMESTAMP                                     # atStep
            | ADVANCE durationText                             # advanceStep
            | START asRole? withData?                          # startStep
            | SEND eventWord asRole? withData?                 # sendStep
            | EXPECT STATE word                                # expectStateStep
            | EXPECT NOT STATE word                            # expectNotStateStep
            | EXPECT VAR word EQ json                          # expectVarStep
            | EXPECT NOTIFIED word                             # expectNotifiedStep
            | EXPECT REJECT SEND eventWord asRole? withData?   # expectRejectSendStep
            | EXPECT REJECT START asRole? withData?            # expectRejectStartStep
            | EXPECT CHILDREN word NUMBER                      # expectChildrenStep
            ;
asRole      : AS word;
withData    : WITH json;
eventWord   : word (DOT word)*;
durationText: NUMBER? word+;
word        : ID | SCENARIO | WORKFLOW | AT | ADVANCE | START | SEND | EXPECT
            | STATE | NOT | VAR | NOTIFIED | REJECT | CHILDREN | AS | WITH
            | TRUE | FALSE | NULL_LIT;

json        : obj | arr | STRING | NUMBER | TRUE | FALSE | NULL_LIT;
obj         : LBRACE NL* (pair (NL* COMMA NL* pair)*)? NL* RBRACE;
pair        : STRING NL* COLON NL* json;
arr         : LBRACK NL* (json (NL* COMMA NL* json)*)? NL* RBRACK;

SCENARIO    : 'scenario';
WORKFLOW    : 'workflow';
AT          : 'at';
ADVANCE     : 'advance';
START       : 'start';
SEND        : 'send';
EXPECT      : 'expect';
STATE       : 'state';
NOT         : 'not';
VAR         : 'var';
NOTIFIED    : 'notified';
REJECT      : 'reject';
CHILDREN    : 'children';
AS          : 'as';
WITH        : 'with';
TRUE        : 'true';
FALSE       : 'false';
NULL_LIT        : 'null';

TIMESTAMP   : [0-9][0-9][0-9][0-9] '-' [0-9][0-9] '-' [0-9][0-9]
              ('T' [0-9][0-9] ':' [0-9][0-9] (':' [0-9][0-9])? ('.' [0-9]+)?
               ('Z' | [+-] [0-9][0-9] ':' [0-9][0-9]))?;
NUMBER      : '-'? [0-9]+ ('.' [0-9]+)? ([eE] [+-]? [0-9]+)?;
ID          : [\p{L}_] [\p{L}\p{N}_]*;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"';
EQ          : '=';
LBRACE      : '{';
RBRACE      : '}';
LBRACK      : '[';
RBRACK      : ']';
COMMA       : ',';
COLON       : ':';
DOT         : '.';
COMMENT     : '#' ~[\r\n]* -> skip;
NL          : '\r'? '\n';
WS          : [ \t\u3000]+ -> skip;
ERROR_CHAR  : .;
