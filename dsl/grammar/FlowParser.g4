// Syntax of the .flow workflow language (DSL.md). The AST builder
// (dsl/ast_builder.cc) has one Build function per rule, quoting the rule.
parser grammar FlowParser;

options { tokenVocab = FlowLexer; }

file          : (rolesDecl | workflowDecl)* EOF;
// One expression alone, for `zgtflow eval`.
exprOnly      : expr EOF;

rolesDecl     : ROLES LBRACE roleDecl* RBRACE;
roleDecl      : name STRING?;

workflowDecl  : WORKFLOW name STRING? LBRACE workflowItem* RBRACE;
// A workflow-level `on` is how a case starts (MEASURES.md, "Starting a case").
workflowItem  : citesDecl | calendarDecl | dataBlock | stateDecl | transition;
citesDecl     : CITES STRING+;
calendarDecl  : CALENDAR calendarName;
calendarName  : name (MINUS name)*;

dataBlock     : DATA LBRACE fieldDecl* RBRACE;
fieldDecl     : name typeRef STRING? fieldOption*;
fieldOption   : REQUIRED                                   # requiredOption
              | DEFAULT expr                               # defaultOption
              ;
typeRef       : LIST OF typeRef                            # listType
              | ENUM LPAREN enumValue (COMMA enumValue)* RPAREN  # enumType
              | PARTY LPAREN name RPAREN                   # partyType
              | name                                       # simpleType
              ;
enumValue     : name | STRING | NUMBER;

stateDecl     : stateModifier* STATE name STRING? stateBody?;
stateModifier : INITIAL | FINAL | PARALLEL | CHOICE;
stateBody     : LBRACE stateItem* RBRACE;
stateItem     : entryBlock | exitBlock | transition | alwaysTransition
              | timer | choiceBranch | stateDecl;

entryBlock    : ENTRY actionBlock;
exitBlock     : EXIT actionBlock;

transition    : ON eventName (BY name (COMMA name)*)? (IF expr)?
                (REQUIRE name (COMMA name)*)? (ARROW name)? doClause?;
alwaysTransition : ALWAYS (IF expr)? ARROW name doClause?;
choiceBranch  : IF expr ARROW name doClause?               # ifBranch
              | ELSE ARROW name doClause?                  # elseBranch
              ;
eventName     : name (DOT name)*;

timer         : AFTER duration (ARROW name)? doClause?      # afterTimer
              | AT expr (ARROW name)? doClause?             # atTimer
              | EVERY period (UNTIL expr)? (ARROW name)? doClause?  # everyTimer
              ;

doClause      : DO (actionBlock | action);
actionBlock   : LBRACE (action SEMI*)* RBRACE;
action        : SET name ASSIGN expr                                   # setAction
              | NOTIFY name STRING                                     # notifyAction
              | CALL name DOT name LPAREN (expr (COMMA expr)*)? RPAREN
                (ON REPLY ARROW eventName)? (ON FAILURE ARROW eventName)?  # callAction
              | START name (WITH objectLit)?                           # startAction
              | RECORD STRING                                          # recordAction
              | EMIT eventName                                         # emitAction
              | SEND eventName TO name MATCHING name (WITH objectLit)? # sendAction
              ;
objectLit     : LBRACE (objectEntry (COMMA objectEntry)* COMMA?)? RBRACE;
objectEntry   : name COLON expr;

// A period is a duration, or a bare unit for `every week`, `every month` ….
period        : duration | durationUnit;
duration      : NUMBER durationUnit | HALF DAY;
durationUnit  : MINUTE | HOUR | DAY | NATURAL DAY | WORKING DAY
              | WEEK | MONTH | QUARTER | YEAR;

expr          : LPAREN expr RPAREN                         # parenExpr
              | MINUS expr                                 # negExpr
              | expr op=(STAR | SLASH) expr                # mulExpr
              | expr op=(PLUS | MINUS) expr                # addExpr
              | expr NOT? IN listLit                       # inExpr
              | expr op=(EQEQ | NEQ | LT | LE | GT | GE) expr  # compareExpr
              // `not` binds looser than comparisons: `not a == b` is `not (a == b)`.
              | NOT expr                                   # notExpr
              | expr AND expr                              # andExpr
              | expr OR expr                               # orExpr
              | duration                                   # durationExpr
              | NUMBER                                     # numberExpr
              | STRING                                     # stringExpr
              | (TRUE | FALSE)                             # boolExpr
              | NOW                                        # nowExpr
              | name LPAREN (expr (COMMA expr)*)? RPAREN   # callExpr
              | listLit                                    # listExpr
              | name (DOT name)*                           # refExpr
              ;
listLit       : LBRACK (expr (COMMA expr)*)? RBRACK;

// Keywords that may also name a role, field, event, state or adapter.
name          : ID | ROLES | CITES | CALENDAR | DATA | ENTRY | EXIT | REPLY | FAILURE
              | START | RECORD | EMIT | REQUIRED | DEFAULT | LIST | ENUM | PARTY
              | NOTIFY | CALL | SET | WITH | UNTIL | AFTER | EVERY | ALWAYS
              | MINUTE | HOUR | HALF | DAY | WORKING | NATURAL | WEEK | MONTH
              | QUARTER | YEAR | INITIAL | FINAL | PARALLEL | CHOICE | OF | DO | BY
              | REQUIRE | WORKFLOW | STATE | SEND | TO | MATCHING;
