// What the codecs of this folder share: the fields every message opens with, in their order on the wire (messageId,
// orderId and, in every message but orders/progress, idempotencyKey), written and read the same way by each; and the
// optional fields, written only when they have a value. For the codecs only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json_writer.h"
#include "common/money.h"
#include "wire/field_reader.h"

namespace sagaflow::wire {

// An open object holding messageId and orderId.
JsonWriter BeginMessage(std::string_view message_id, std::string_view order_id);
// An open object holding messageId, orderId and idempotencyKey.
JsonWriter BeginKeyedMessage(std::string_view message_id, std::string_view order_id, std::string_view key);

// Writes the field unless `value` is empty (nullopt).
void WriteIfSet(JsonWriter& json, std::string_view key, const std::string& value);
void WriteIfSet(JsonWriter& json, std::string_view key, std::optional<Cents> cents);

// Reads what BeginMessage / BeginKeyedMessage write into `message`'s fields of the same names.
template <typename Message>
void ReadMessageStart(FieldReader& read, Message& message) {
  message.message_id = read.String("messageId");
  message.order_id = read.String("orderId");
}

template <typename Message>
void ReadKeyedMessageStart(FieldReader& read, Message& message) {
  ReadMessageStart(read, message);
  message.idempotency_key = read.String("idempotencyKey");
}

}  // namespace sagaflow::wire
