/*
 * The grammar of .nn files: models, blocks, and the train, distill and prune declarations that use them.
 *
 * Line breaks end statements, so "relu" on one line and "(x + y) -> relu" on the next stay two statements
 * instead of becoming the call relu(x + y). They are plain whitespace where a statement cannot end:
 *   - inside ( ) and [ ] (the lexer drops them there, as Python does), and
 *   - before '->', so a long chain can go on with a line that starts with '->'.
 * ';' separates statements on one line.
 *
 * Only the words that start a declaration or a statement are keywords (including 'repeat'), plus 'from', 'true'
 * and 'false'. Op names
 * (linear, relu, ...) are plain names, and where a name can only be an attribute, a setting or a parameter
 * (`data = ...`, `conv2d(input = 3)`), keywords are accepted as names too.
 *
 * The compiler's AstBuilder turns every labelled alternative (# fooBar) into an AST record; adding an alternative
 * here without teaching it the new label makes it fail loudly.
 */
grammar Nn;

@lexer::members {
    /** How many '(' and '[' are open: inside them a line break is whitespace. */
    private int openBrackets = 0;
}

// ---------------------------------------------------------------- declarations

compilationUnit
    : (declaration | NEWLINE)* EOF
    ;

declaration
    : 'import' path=STRING                                         # importDeclaration
    | 'model' name=NAME parameterList? body                        # modelDeclaration
    | 'block' name=NAME parameterList? body                        # blockDeclaration
    | 'train' model=NAME ('(' arguments? ')')? settings            # trainDeclaration
    | 'distill' student=NAME 'from' teacher=NAME settings          # distillDeclaration
    | 'prune' model=NAME settings                                  # pruneDeclaration
    ;

parameterList
    : '(' (parameter (',' parameter)*)? ')'
    ;

// `out` (required) or `stride = 1` (with a default).
parameter
    : identifier ('=' defaultValue=expression)?
    ;

// Each decision below needs one token of lookahead, so an error is reported at the token that caused it.
body
    : '{' separator* (statement (separator statement?)*)? '}'
    ;

settings
    : '{' separator* (setting (separator setting?)*)? '}'
    ;

separator
    : NEWLINE
    | ';'
    ;

setting
    : key=identifier '=' value=expression
    ;

// ---------------------------------------------------------------- statements of a model or block

statement
    : 'input' name=NAME ':' '[' dimensions+=expression (',' dimensions+=expression)* ']'    # inputStatement
    | 'output' name=NAME                                                                 # outputStatement
    | 'repeat' count=expression body                                                     # repeatStatement
    | target=NAME '=' value=tensor                                                       # namedFlowStatement
    | value=tensor                                                                       # flowStatement
    ;

// '->' binds tighter than '+': `x + y -> relu` is `x + (y -> relu)`; write `(x + y) -> relu` for the other.
tensor
    : source=tensor NEWLINE* '->' op=call                             # pipeTensor
    | left=tensor '+' right=tensor                                    # addTensor
    | call                                                            # callTensor
    | '(' items+=tensor (',' items+=tensor)* ')'                      # groupTensor
    ;

// `relu`, `linear(128)`, `conv2d(c, kernel = 3)`: an op, a block, or (bare, at the start of a chain) a value.
call
    : name=NAME (open='(' arguments? ')')?
    ;

arguments
    : argument (',' argument)*
    ;

argument
    : key=identifier '=' value=expression                            # namedArgument
    | value=expression                                                # positionalArgument
    ;

// ---------------------------------------------------------------- attribute and setting values

// Listed from the tightest binding to the loosest: unary minus, then * / %, then + -.
expression
    : '(' inner=expression ')'                                        # groupValue
    | '-' operand=expression                                          # negateValue
    | left=expression op=('*' | '/' | '%') right=expression           # multiplyValue
    | left=expression op=('+' | '-') right=expression                 # addValue
    | NUMBER                                                          # numberValue
    | literal=('true' | 'false')                                      # boolValue
    | STRING                                                          # textValue
    | callee=identifier '(' arguments? ')'                            # callValue
    | identifier                                                      # nameValue
    | '[' (items+=expression (',' items+=expression)*)? ']'           # listValue
    ;

identifier
    : NAME
    | 'import' | 'model' | 'block' | 'train' | 'distill' | 'prune' | 'from' | 'input' | 'output' | 'repeat'
    ;

// ---------------------------------------------------------------- tokens

IMPORT : 'import' ;
MODEL : 'model' ;
BLOCK : 'block' ;
TRAIN : 'train' ;
DISTILL : 'distill' ;
PRUNE : 'prune' ;
FROM : 'from' ;
INPUT : 'input' ;
OUTPUT : 'output' ;
REPEAT : 'repeat' ;
TRUE : 'true' ;
FALSE : 'false' ;

LPAREN : '(' { openBrackets++; } ;
RPAREN : ')' { if (openBrackets > 0) openBrackets--; } ;
LBRACKET : '[' { openBrackets++; } ;
RBRACKET : ']' { if (openBrackets > 0) openBrackets--; } ;
// Braces never sit inside brackets, so they close any left open: one forgotten ')' must not join every line
// of the rest of the file into one.
LBRACE : '{' { openBrackets = 0; } ;
RBRACE : '}' { openBrackets = 0; } ;

ARROW : '->' ;
ASSIGN : '=' ;
COLON : ':' ;
COMMA : ',' ;
SEMICOLON : ';' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;

NUMBER : DIGITS ('.' DIGITS)? ([eE] [+-]? DIGITS)? ;
STRING : '"' STRING_CHAR* '"' ;
// A string whose line ends before its closing quote. The compiler reports it; closing the brackets here keeps
// the mistake on its own line.
UNTERMINATED_STRING : '"' STRING_CHAR* { openBrackets = 0; } ;
NAME : [A-Za-z_] [A-Za-z0-9_]* ;

NEWLINE : ('\r'? '\n' | '\r') { if (openBrackets > 0) skip(); } ;
WHITESPACE : [ \t\f]+ -> skip ;
// Comments go to the hidden channel, not away: the parser never sees them, but `nn fmt` keeps them and
// `nn inspect --dump tokens` shows them. (A combined grammar cannot declare a channel of its own.)
COMMENT : ('//' | '#') ~[\r\n]* -> channel(HIDDEN) ;

// Any other character. The compiler reports it; the parser never sees it, so one stray character costs one message.
ERROR_CHAR : . -> channel(HIDDEN) ;

fragment DIGITS : [0-9]+ ;
fragment STRING_CHAR : ~["\\\r\n] | '\\' ~[\r\n] ;
