// Spam and phishing judged from the message alone: the verdicts the landlord's own mail system
// already wrote into the headers, and two things only we know about, mail imitating the
// landlord's domains and credential lures in the landlord's name. Pure: no I/O, no clock.
// daemon/intake/spam_check adds spamd's verdict on top.
//
// A reason is decisive: any one makes the message suspected spam. Evidence is noted for staff and
// never decides alone. Content words ("complaint", "urgent", "formal", "£") are neither.
//
// 1. Upstream verdicts are decisive:
//    X-Spam-Flag: YES (SpamAssassin, amavis); X-Spam-Status: Yes, ... (SpamAssassin, amavis,
//    rspamd); X-Spamd-Result: default: True [...] (rspamd writes True only for reject);
//    X-Rspamd-Action: reject, add header or rewrite subject; X-MS-Exchange-Organization-SCL of
//    scl_threshold or more (Microsoft 365, Exchange); X-Forefront-Antispam-Report (Microsoft 365)
//    with SFV:SPM (filtered as spam), SFV:SKS (spam by a mail flow rule), SFV:SKB or SFV:BLK (a
//    blocked sender), SCL:n of scl_threshold or more, or a CAT of phishing, spam, malware or
//    impersonation (PHSH HPHSH HPHISH HSPM SPM MALW AMP SAP DIMP UIMP GIMP BIMP INTOS).
//    Evidence only: CAT:SPOOF (Microsoft's composite authentication failed: an authentication
//    failure, as in 2), CAT:BULK, BCL of 7 or more in X-Microsoft-Antispam, and X-Gm-Spam: 1 or
//    X-Gm-Phishy: 1 (undocumented by Google, and found written by a sender's own Google Workspace
//    on its outgoing mail, not by the receiving side). Google Workspace files the spam it finds in
//    the Spam folder and writes no verdict into the message; what it does write is read in 2:
//    Authentication-Results: mx.google.com; ... dmarc=fail (p=REJECT sp=REJECT dis=QUARANTINE),
//    with "arc=pass (i=1 ... dmarc=pass ...)" when an earlier hop saw the mail pass (a note).
// 2. Authentication (the topmost Authentication-Results, as Microsoft 365, Google, OpenDMARC and
//    rspamd write it): SPF fail or softfail, DKIM fail (when no signature passed), DMARC fail and
//    Microsoft's compauth=fail are evidence only: a resident whose own provider or forwarder
//    breaks SPF is still a resident. Except a DMARC fail for one of own_domains (or a domain below
//    one), which is decisive: someone is sending as the landlord.
// 3. Lookalikes are decisive: a From or Reply-To domain that is neither one of own_domains nor
//    below one, with a label that imitates an own domain's name (its first label: "westway" in
//    westway.org.uk): the same name (westway.co.uk, westway.org.uk.secure-login.net); the same
//    once Unicode's confusables are folded (UTS #39 skeletons through ICU: a Cyrillic е, rn for m,
//    0 for o, 1 for l; plus vv for w, which the table lacks), xn-- labels decoded first; one edit
//    away, two for names of 9 letters or more (a swap of neighbours is one edit); or the name
//    inside a longer label (westway-housing-support.com, mywestway.net), for names of 5 letters
//    or more. Names under 4 letters are only compared whole. lookalike_exceptions lists real
//    domains of other people that match (a same-name charity).
// 4. A credential lure is decisive when all of these hold: the sender's own words (quoted and
//    forwarded text left out: a resident forwarding a scam to ask about it is not sending one) or
//    the subject (unless a forward) ask the reader to act on their account, password or mailbox
//    ("verify your account", "validate your mailbox", "click here to keep", "keep your current
//    password", "sign in with your email password", "sign in to view the secure document",
//    "enter your password"...: the table is in the .cc); a link leads outside own_domains (found
//    in the text, in the raw body, or in base64-encoded HTML parts; or "click here" wording
//    whose link the HTML-to-text step dropped); the message speaks in the name of the landlord
//    or its IT desk (landlord_name, an own domain's name, or words such as "IT Service Desk",
//    "helpdesk", "webmail", "Microsoft 365" in the From name, subject or text); and the From or
//    Reply-To domain is outside own_domains. "I can't log in to the tenant portal" asks nothing of
//    the reader and is not a lure. A lure missing one of these is noted as evidence.
//
// Which headers count: the header section only (to the first empty line; folded lines unfolded;
// names case-blind; an mbox "From " line skipped), and of each verdict header its topmost copy.
// A mail system removes copies of its own verdict headers that arrived with the mail
// (SpamAssassin, rspamd's remove_upstream_spam_flag; Microsoft renames foreign ones
// "...-Untrusted") and writes its Authentication-Results on top (RFC 8601 section 5), so a copy
// further down is a sender's and is ignored. Checking that the authserv-id of an
// Authentication-Results is our own server's needs configuration we do not have and is beyond
// this scope: a sender's header is read only where our mail system wrote none.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaints {

struct SpamSettings {
  std::vector<std::string>
      own_domains;            // the landlord's mail domains, lower case ("westway.org.uk")
  std::string landlord_name;  // "Westway Housing": lures in its name
  int scl_threshold = 5;      // Microsoft's spam confidence level counted as spam
  // Real domains of other people that look like ours (a same-name charity): never lookalikes.
  std::vector<std::string> lookalike_exceptions;
};

struct SpamInput {
  std::string_view raw;      // the whole message as received (headers are read from it)
  std::string from_address;  // as parsed (lower-case ok)
  std::string from_name;
  std::string reply_to;  // "" when none
  std::string subject;
  std::string text;  // the body text as read (HTML already turned to text)
};

struct SpamVerdict {
  bool suspected = false;
  std::vector<std::string> reasons;   // decisive, one line each for staff, e.g.
                                      // "X-Spam-Flag: YES (SpamAssassin upstream)",
                                      // "From domain westvvay.org.uk imitates westway.org.uk"
  std::vector<std::string> evidence;  // noted but not decisive alone, e.g. "SPF fail"
};

SpamVerdict JudgeSpam(const SpamInput& in, const SpamSettings& settings);

struct Imitation {
  std::string own_domain;  // the one imitated
  std::string how;         // "the same name", "looks the same", "one letter off", ...
};
// Rule 3 alone: whether `domain` (lower case; xn-- or UTF-8 labels allowed) imitates one of
// settings.own_domains. Never for an own domain, one below it, or an exception.
std::optional<Imitation> ImitatedDomain(std::string_view domain, const SpamSettings& settings);

}  // namespace complaints
