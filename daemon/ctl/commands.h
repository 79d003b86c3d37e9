// complaintsctl's commands: the command table (RunCtl) and one entry point per command, each
// defined in its own file in this folder. Kept in a library so tests drive the same code the
// executable runs. Every entry point gets the arguments after its command word and returns the
// process exit code.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "daemon/cases/case_record.h"

namespace complaints {

// The command table: the first word picks a command, which gets the rest.
// `args` excludes the program name. Returns the process exit code.
int RunCtl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl calendar ...`: bank holidays, working-day arithmetic and due times, for staff
// and for scripts (the output format is a contract: one value per line, nothing else on stdout).
// `args` are the words after "calendar". Returns the exit code: 0 done, 2 bad arguments or input.
int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl cases ...`: staff open, progress and inspect cases from the command line.
//
// Every form takes --db PATH (default $COMPLAINTSD_DB, else complaints.db), --policy FILE
// (default $COMPLAINTSD_POLICY, else the shipped hos-code-2024 policy), --config FILE (the
// landlord's closure days) and --as NAME (who is acting; default $USER). Exit 0 done, 1 the change
// was refused (the reason on stderr), 2 bad usage or input.
int RunCasesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The case as one JSON object (a line of `cases list --json`).
std::string CaseJsonLine(const CaseRecord& c, bool all_deadlines);

// `complaintsctl staff add|password|disable|enable|token|list`: the workbench's accounts.
int RunStaffCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// complaintsctl report tsm: the Tenant Satisfaction Measures CH01 and CH02.
int RunReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl classify`: what the classifier makes of messages, texts, or a labelled set.
//   classify [--json] FILE.eml...   one JSON line per message: file, label, confidence,
//                                   needs_review, cues
//   classify --text                 one text per stdin line -> one JSON line each, in order
//   classify --eval FILE.tsv        precision, recall and F1 per label and the set's headline
//                                   figure (id<TAB>label<TAB>text; ../shared/corpora/classify)
//   --model FILE uses another model than the built one; --rules-only uses the cue rules alone.
//
// `complaintsctl classifier train --out FILE [--corpus PATH]... [--db DB] [--holdout PERCENT]`
// trains the fastText model from the corpus (and staff's relabelled cases), deterministically.
int RunClassifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int RunClassifierCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

// `complaintsctl deadlines [--json] [--due-within N]`: what is coming, and what is overdue.
int RunDeadlinesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl --config FILE ingest [--maildir DIR]`: one pass of the mailbox (the configured
// one, or a Maildir folder such as an export) through intake, with the daemon's configuration.
// Prints one line per message; the mail it causes is queued for the daemon to send.
int RunIngestCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl letter [--json] [--policy FILE] [--model FILE] [--max-pages N] [--reader PROGRAM]
// FILE...`: what the daemon would read from scanned or typed letters (PDF, TIFF, PNG, JPEG) and
// what it would take from them, without touching any case. Each file is read by complaintsd-letter
// in a child process under the same limits the daemon uses. With --json, one JSON object per file:
//   {"file", "pages", "text", "method": "text-layer"|"ocr"|"text-layer+ocr", "name", "address",
//    "postcode", "email", "phone", "references", "letter_date", "label", "confidence",
//    "needs_review", "warnings"}  or  {"file", "error"}
// Exit 0 when every file was read, 1 when one could not be, 2 for bad arguments.
int RunLetterCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl mailbox test --config FILE`: logs in to IMAP and SMTP as configured and says
// what worked (the message count, the processed, quarantine and spam folders present or
// missing, SMTP authenticated). Exit 0 when both logins worked, 1 when one failed, 2 usage.
// `complaintsctl mailbox login --config FILE`: the one-time device-code sign-in for Microsoft
// 365 delegated access; keeps the refresh token in the state directory (0600).
int RunMailboxCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl messages list|show`: the incoming mail as stored, above all what opened no case
// (classified other, or quarantined), so that a person can see every message and why.
int RunMessagesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl oauth2 token --config FILE`: fetches a token as configured and prints
// "ok expires_in=SECONDS" (exit 0), or the provider's error and what to check (exit 1); never the
// token. Exit 2 for usage or a configuration without oauth2.
int RunOAuth2Command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl parse [--json] [--policy FILE] FILE...`: what the parser makes of each message.
// Exit 0 when every file parsed, 1 when any did not (each still gets its line), 2 on usage errors.
int RunParseCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl policy check|show FILE`: a landlord's policy against the Code, and in words.
// check: 0 no conflict, 1 conflicts listed (one a line), 2 invalid file or usage.
int RunPolicyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `complaintsctl person export|erase|correct|access-log`: a resident's data protection rights
// (daemon/privacy/): subject access, erasure, correction, and who read their cases.
int RunPersonCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// `complaintsctl retention run [--dry-run] [--json] | show`: the retention schedule's pass.
int RunRetentionCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// `complaintsctl cases hold|unhold REF --reason TEXT` (`verb`): a legal hold, which stops
// retention and refuses erasure and correction. Defined in person.cc.
class CommandLine;
int RunCaseHoldCommand(const std::string& verb, const CommandLine& line, std::ostream& out,
                       std::ostream& err);

// `complaintsctl templates check [DIR]` and `templates show NAME [DIR]`: a landlord editing its
// templates sees each problem, or the message rendered with sample values, before any resident.
int RunTemplatesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
