// Untrusted text: telling whether it holds control characters, and making it safe to print.
//
// Clients and other processes choose ids, reasons and payloads; a newline in one forges a log line and
// an ESC sequence recolours or rewrites the operator's terminal. Ids refuse control characters at the
// door (HasControlCharacters); what is printed anyway (every log line, sagactl) goes through
// EscapeForTerminal.
// Pure functions; the input is UTF-8 (an invalid byte is escaped like a control character).
#pragma once

#include <string>
#include <string_view>

namespace sagaflow {

// True if `text` has a C0 control (U+0000-U+001F), DEL or a C1 control (U+0080-U+009F).
bool HasControlCharacters(std::string_view text);

// `text` with every control character (and every byte of invalid UTF-8) written as \xHH, and
// backslashes doubled, so what comes out is one line of printable text that cannot be mistaken
// for an escape.
std::string EscapeForTerminal(std::string_view text);

}  // namespace sagaflow
