// Is this message sent by a machine? Out-of-office replies, bounces, read receipts, mailing lists
// and bulk mail must never be acknowledged (that is how mail loops start). Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace complaints {

struct AutomaticVerdict {
  bool is = false;
  std::string reason;               // which header or sign decided it
  std::string original_message_id;  // of the message a report is about, when it says
};

// `headers` are the top-level header fields (name, raw value) in order; `content_type` is the
// lower-cased type/subtype; `report_parts` are the bodies of any message/delivery-status or
// message/disposition-notification parts and rfc822-headers parts, to find the original's ID.
AutomaticVerdict DetectAutomatic(const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& content_type, const std::string& from_address,
                                 const std::vector<std::string>& report_parts);

}  // namespace complaints
