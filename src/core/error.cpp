#include "kinmap/core/error.hpp"

#include <sstream>
#include <utility>

namespace kinmap {
namespace {

std::string format_input_error(const SourceLocation& where, const std::string& key,
                               const std::string& message) {
    std::ostringstream out;
    out << (where.file.empty() ? "<input>" : where.file) << ':' << where.line << ':'
        << where.column << ": ";
    if (!key.empty()) out << key << ": ";
    out << message;
    return out.str();
}

}  // namespace

InputError::InputError(SourceLocation where, std::string key, const std::string& message)
    : Error(format_input_error(where, key, message)),
      where_(std::move(where)),
      key_(std::move(key)),
      message_(message) {}

}  // namespace kinmap
