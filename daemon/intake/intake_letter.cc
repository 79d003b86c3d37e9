// The letter path of intake: a resident's posted letter, scanned and forwarded by staff, becomes a
// case with channel "letter". The scan is read in a child process (LetterReader), the resident's
// details are taken from its text, the received date from staff's note, and the acknowledgement
// goes by email when the letter gives an address, else as a print-ready letter to the staff member
// who forwarded it, to post.
#include <algorithm>
#include <cctype>

#include "daemon/calendar/london_time.h"
#include "daemon/intake/intake.h"
#include "daemon/intake/triage.h"
#include "daemon/letters/letter_pdf.h"
#include "parsers/letter_fields.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

size_t Alphanumerics(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(),
                                           [](unsigned char c) { return std::isalnum(c) != 0; }));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string DayWords(std::chrono::year_month_day day) {
  return DayInWords(FromLondon(std::chrono::sys_days{day}, std::chrono::hours{12}));
}

std::string Joined(const std::vector<std::string>& lines, const std::string& sep) {
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : sep) + l;
  return out;
}

}  // namespace

Result<IntakeOutcome> Intake::Letter(int64_t row, const MailFacts& facts, Instant arrived) {
  const std::string forwarder = facts.from.address;
  Result<LetterReading> reading = letters_->Read(facts.scans);
  if (!reading) {
    return Quarantine(row,
                      "the scanned letter forwarded by " + forwarder +
                          " could not be read: " + reading.error() +
                          ". Log it by hand with 'complaintsctl cases open --channel letter'",
                      &facts, forwarder);
  }
  const std::string text = reading->Text();
  const std::string note = facts.subject + "\n" + facts.new_text;
  if (Alphanumerics(text) < 30) {
    return Quarantine(row,
                      "no text could be read from the scan forwarded by " + forwarder +
                          " (a blank or unreadable page?). Check the scan and log it by hand with "
                          "'complaintsctl cases open --channel letter'",
                      &facts, forwarder);
  }
  if (!NoteSaysLetter(note) && !ReadsLikeALetter(text)) {
    return Quarantine(row,
                      "mail from staff (" + forwarder +
                          ") with attachments that do not read like a letter: log a resident's "
                          "complaint by hand with 'complaintsctl cases open'",
                      &facts);
  }

  std::vector<std::string> own_domains = mailer_.settings().staff_domains;
  for (const std::string& own : mailer_.settings().own_addresses) {
    if (size_t at = own.rfind('@'); at != std::string::npos)
      own_domains.push_back(own.substr(at + 1));
  }
  if (size_t at = mailer_.settings().from.address.rfind('@'); at != std::string::npos) {
    own_domains.push_back(mailer_.settings().from.address.substr(at + 1));
  }
  for (std::string& d : own_domains) d = Lower(d);
  const LetterFields fields =
      ExtractLetterFields(text, letter_settings_.reference_pattern, own_domains);

  // When the letter reached us: the day staff say it came, else the day they forwarded it.
  const Instant forwarded = facts.date.value_or(arrived);
  const std::chrono::year_month_day forwarded_day{ToLondon(forwarded).day};
  const std::optional<std::chrono::year_month_day> noted =
      ReceivedDateFromNote(note, forwarded_day);
  // Noon, so that the day counts as the day of receipt whatever the close of business.
  // (but never later than the forward itself: "came in this morning", forwarded at 09:10).
  const Instant received =
      noted ? std::min(FromLondon(std::chrono::sys_days{*noted}, std::chrono::hours{12}), forwarded)
            : forwarded;
  const std::string received_detail =
      "posted letter received " +
      (noted ? DayWords(*noted) + " (staff's note)"
             : DayInWords(received) + " (the day it was forwarded; staff's note gave no date)") +
      "; forwarded by " + forwarder + " on " + DayInWords(forwarded) + "; read from " +
      std::to_string(reading->Pages()) + " page(s) by " + reading->Method() +
      (fields.letter_date ? "; the letter is dated " + DayWords(*fields.letter_date) : "");
  std::vector<std::string> warnings = reading->Warnings();
  for (const std::string& p : reading->problems) warnings.push_back(p);

  auto keep_documents = [&](StoreTransaction& txn, int64_t case_id) -> Status {
    for (size_t i = 0; i < facts.scans.size(); ++i) {
      CaseDocument d;
      d.case_id = case_id;
      d.message_id = row;
      d.filename = facts.scans[i].name;
      d.content_type = SniffContentType(facts.scans[i].bytes);
      d.bytes = facts.scans[i].bytes;
      for (const DocumentText& doc : reading->documents) {
        if (doc.file != facts.scans[i].name) continue;
        for (const PageText& p : doc.pages) d.text += (d.text.empty() ? "" : "\n\n") + p.text;
        d.pages = static_cast<int>(doc.pages.size());
        d.method = doc.pages.empty() ? "" : doc.pages.front().method;
      }
      d.added_at = clock_.Now();
      if (Status s = txn.AddDocument(d); !s) return s;
    }
    return Status::Ok();
  };

  // A letter quoting one of our case references joins that case.
  for (const std::string& ref : fields.references) {
    Result<CaseRecord> existing = store_.FindCase(ref);
    if (!existing) continue;
    Result<CaseRecord> updated = engine_.Amend(
        ref, [&](StoreTransaction& txn, CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
          h.push_back({clock_.Now(), "complaintsd", "letter_received", received_detail});
          for (const std::string& w : warnings) {
            h.push_back({clock_.Now(), "complaintsd", "letter_warning", w});
          }
          if (Status s = keep_documents(txn, c.id); !s) return s;
          Result<Contact> resident = store_.GetContact(c.contact_id);
          if (Status s = TellManager(txn, c, resident ? *resident : Contact{},
                                     "letter-" + std::to_string(row));
              !s) {
            return s;
          }
          return txn.SetMessageState(row, "processed", "letter for an existing case", c.id);
        });
    if (!updated) return Quarantine(row, "could not record the letter: " + updated.error(), &facts);
    return IntakeOutcome{IntakeOutcome::Kind::kAddedToCase, row, ref, "letter"};
  }

  const std::string body = LetterBody(text);
  const Classification label = classifier_.Classify("", body);
  if (label.label == "other") {
    return Quarantine(row,
                      "a posted letter forwarded by " + forwarder +
                          " that the classifier could not place (other): a person should read it "
                          "and log it with 'complaintsctl cases open --channel letter'",
                      &facts, forwarder);
  }
  Result<CaseType> type = ParseCaseType(label.label);
  if (!type) return Quarantine(row, "the classifier said '" + label.label + "'", &facts);

  OpenRequest request;
  request.type = *type;
  request.channel = Channel::kLetter;
  request.received_at = received;
  request.contact.name = fields.name;
  if (!fields.email.empty() && ValidateAddress(fields.email))
    request.contact.emails = {fields.email};
  request.contact.phone = fields.phone;
  std::vector<std::string> postal = fields.address;
  if (!fields.postcode.empty()) postal.push_back(fields.postcode);
  request.contact.address = Joined(postal, ", ");
  for (const std::string& ref : fields.references) {
    if (!store_.FindCase(ref)) {
      request.contact.tenancy_ref = ref;
      break;
    }
  }
  request.summary = "Letter: " + OneLine(body, 200);
  request.area_text = body;
  const bool no_way_to_reply = request.contact.emails.empty() && fields.postcode.empty();
  request.needs_review =
      label.needs_review || fields.name.empty() || no_way_to_reply || !warnings.empty();
  request.flags = {"letter"};
  if (label.uncertain) AddTriageFlags(label, request);
  if (no_way_to_reply) request.flags.push_back("no-contact-details");
  const bool postcode_unsure = !fields.postcode.empty() && !ValidUkPostcode(fields.postcode);
  if (postcode_unsure) {
    request.flags.push_back("postcode-unsure");
    request.needs_review = true;
  }

  Result<CaseRecord> opened = engine_.Open(
      request, "complaintsd",
      [&](StoreTransaction& txn, CaseRecord& c, std::vector<HistoryEntry>& h) -> Status {
        h.push_back({clock_.Now(), "complaintsd", "letter_received", received_detail});
        for (const std::string& w : warnings) {
          h.push_back({clock_.Now(), "complaintsd", "letter_warning", w});
        }
        h.push_back({clock_.Now(), "complaintsd", "classified", ClassifiedDetail(label)});
        if (Status s = keep_documents(txn, c.id); !s) return s;
        Contact resident = request.contact;
        if (c.type == CaseType::kCompliment) {
          if (Status s = PassOnPraise(txn, c, resident, "\n" + body, row, h); !s) return s;
        }
        nlohmann::json values = mailer_.CaseValues(c, resident);
        const char* template_name = FirstReplyTemplate(label, c.type);
        if (!resident.emails.empty()) {
          CaseMailer::Outgoing mail;
          mail.template_name = template_name;
          mail.to = {resident.name, resident.emails.front()};
          mail.values = values;
          mail.case_id = c.id;
          mail.reference = c.reference;
          mail.unique = std::to_string(row) + "-" + template_name;
          std::string why;
          Result<std::optional<OutboxItem>> queued = mailer_.Queue(txn, mail, &why);
          if (!queued) return queued.status();
          h.push_back(
              {clock_.Now(), "complaintsd", queued.value() ? "mail_queued" : "mail_suppressed",
               queued.value()
                   ? std::string(template_name) + " by email to the address the letter gives"
                   : why});
          return txn.SetMessageState(row, "processed", "letter: " + label.label, c.id);
        }
        // No email address: a letter to print and post, sent to the member of staff.
        values["by_post"] = true;
        Result<RenderedMail> letter = mailer_.Render(template_name, values);
        if (!letter) return letter.status();
        PostalLetter post;
        post.sender_lines = letter_settings_.return_address;
        if (post.sender_lines.empty()) post.sender_lines = {values.value("landlord", "")};
        if (!resident.name.empty()) post.recipient_lines.push_back(resident.name);
        for (const std::string& line : postal) post.recipient_lines.push_back(line);
        post.date_line = DayInWords(clock_.Now());
        post.reference = c.reference;
        post.body = letter->text;
        Result<std::string> pdf = fields.postcode.empty()
                                      ? Result<std::string>::Error("the letter gives no postcode")
                                      : RenderLetterPdf(post);
        CaseMailer::Outgoing to_staff;
        to_staff.template_name = "letter-to-post";
        to_staff.to = {"", forwarder};
        to_staff.values = values;
        to_staff.values["resident_address"] = Joined(post.recipient_lines, "\n");
        to_staff.values["received_words"] = DayInWords(received);
        to_staff.values["printable"] = pdf.ok();
        to_staff.values["postcode_unsure"] = postcode_unsure;
        to_staff.values["postcode"] = fields.postcode;
        to_staff.values["problem"] = pdf.ok() ? "" : pdf.error();
        to_staff.values["letter_text"] = letter->text;
        to_staff.automatic = false;
        to_staff.case_id = c.id;
        to_staff.reference = c.reference;
        to_staff.unique = std::to_string(row) + "-letter-to-post";
        if (pdf) {
          to_staff.attachments = {
              {"acknowledgement-" + c.reference + ".pdf", "application/pdf", *pdf}};
        }
        Result<std::optional<OutboxItem>> queued = mailer_.Queue(txn, to_staff, nullptr);
        if (!queued) return queued.status();
        if (pdf) {
          h.push_back({clock_.Now(), "complaintsd", "acknowledgement_by_post",
                       "no email address in the letter: a print-ready " +
                           std::string(template_name) + " letter went to " + forwarder +
                           " to post to the resident"});
        } else {
          c.needs_review = true;
          if (!c.HasFlag("no-postal-address")) c.flags.push_back("no-postal-address");
          h.push_back({clock_.Now(), "complaintsd", "acknowledgement_not_sent",
                       "no email address and " + pdf.error() + ": " + forwarder +
                           " was asked to reply to the resident by hand"});
        }
        return txn.SetMessageState(row, "processed", "letter: " + label.label, c.id);
      });
  if (!opened)
    return Quarantine(row, "could not open a case: " + opened.error(), &facts, forwarder);
  return IntakeOutcome{IntakeOutcome::Kind::kOpened, row, opened->reference,
                       "letter " + OutcomeDetail(label)};
}

}  // namespace complaints
