// The embedded default transport: each outgoing message becomes a file in a pickup folder
// (written to a temporary name, flushed to disk, then renamed, so a reader never sees half a
// message). The file is named after the outbox item, so sending the same item again replaces the
// file instead of adding a second: the pickup folder never holds a message twice.
#pragma once

#include <string>

#include "daemon/outgoing/outbox_sender.h"

namespace complaints {

class PickupTransport : public MailTransport {
 public:
  explicit PickupTransport(std::string dir);
  SendOutcome Send(const OutboxItem& item) override;

 private:
  std::string dir_;
};

}  // namespace complaints
