#include "daemon/service/components.h"

#include "daemon/credentials/secrets.h"
#include "daemon/credentials/token_source.h"
#include "daemon/intake/classifier_training.h"
#include "daemon/intake/maildir_source.h"
#include "daemon/intake/parsed_mail_reader.h"
#include "daemon/outgoing/pickup_transport.h"
#include "parsers/classifier.h"

namespace complaints {
namespace {

class ModelClassifier : public MessageClassifier {
 public:
  ModelClassifier(std::shared_ptr<const TextModel> model, const ClassifierSettings& settings)
      : model_(std::move(model)), settings_(settings) {}
  Classification Classify(const std::string& subject, const std::string& text) const override {
    const CueVerdict v = complaints::Classify(model_.get(), subject, text, settings_);
    return {v.label, v.confidence, v.needs_review, v.cues, v.uncertain, v.alternative};
  }

 private:
  std::shared_ptr<const TextModel> model_;
  ClassifierSettings settings_;
};

// The wall clock for the Maildir's UIDVALIDITY; the one other reader of time is system_clock.cc.
const SystemClock& WallClock() {
  static const SystemClock clock;
  return clock;
}

// A token lasts about an hour: ask for it afresh at each use (a command, or the file again).
TokenSource Tokens(const std::string& command, const std::string& file) {
  if (!command.empty()) {
    return [command] { return RunTokenCommand(command, std::chrono::seconds{30}); };
  }
  if (!file.empty()) return [file] { return ReadSecret(file); };
  return nullptr;
}

}  // namespace

std::shared_ptr<OAuth2Tokens> MakeOAuth2Tokens(const DaemonConfig& config, const Clock& clock,
                                               std::function<void(const std::string&)> warn) {
  if (!config.oauth2) return nullptr;
  return std::make_shared<OAuth2Tokens>(*config.oauth2,
                                        std::make_unique<CurlTokenEndpoint>(config.oauth2->ca_file),
                                        clock, std::move(warn));
}

ImapSettings MakeImapSettings(const MailboxConfig& config, std::shared_ptr<OAuth2Tokens> tokens) {
  ImapSettings imap;
  imap.url = config.url;
  imap.user = config.user;
  imap.password = config.password;
  imap.bearer_token = config.token;
  imap.bearer_token_source = Tokens(config.token_command, config.token_where);
  imap.ca_file = config.ca_file;
  imap.verify_tls = config.tls_verify;
  imap.require_tls = config.starttls;
  imap.poll_interval = config.poll_interval;
  if (config.auth == "oauth2" && tokens) {
    imap.password.clear();
    imap.bearer_token_source = OAuth2Tokens::AsSource(tokens);
    imap.bearer_token_refused = [tokens] { tokens->Forget(); };
  }
  return imap;
}

Result<std::unique_ptr<MailSource>> MakeMailSource(const MailboxConfig& config,
                                                   std::shared_ptr<OAuth2Tokens> tokens) {
  if (config.kind == "maildir") {
    return std::unique_ptr<MailSource>(
        std::make_unique<MaildirSource>(config.maildir, WallClock()));
  }
  if (config.auth == "oauth2" && !tokens) {
    return Result<std::unique_ptr<MailSource>>::Error("mailbox.auth = oauth2 but no oauth2.*");
  }
  return std::unique_ptr<MailSource>(
      std::make_unique<ImapSource>(MakeImapSettings(config, std::move(tokens))));
}

SmtpSettings MakeSmtpSettings(const SenderConfig& config, const MailSettings& mail,
                              std::shared_ptr<OAuth2Tokens> tokens) {
  SmtpSettings smtp;
  smtp.url = config.url;
  smtp.user = config.user;
  smtp.password = config.password;
  smtp.bearer_token = config.token;
  smtp.bearer_token_source = Tokens(config.token_command, config.token_where);
  smtp.ca_file = config.ca_file;
  smtp.verify_tls = config.tls_verify;
  smtp.require_tls = config.starttls;
  smtp.helo_name = mail.message_id_domain;
  if (config.auth == "oauth2" && tokens) {
    smtp.password.clear();
    smtp.bearer_token_source = OAuth2Tokens::AsSource(tokens);
    smtp.bearer_token_refused = [tokens] { tokens->Forget(); };
  }
  return smtp;
}

Result<std::unique_ptr<MailTransport>> MakeMailTransport(const SenderConfig& config,
                                                         const MailSettings& mail,
                                                         std::shared_ptr<OAuth2Tokens> tokens) {
  if (config.kind == "pickup") {
    return std::unique_ptr<MailTransport>(std::make_unique<PickupTransport>(config.pickup_dir));
  }
  if (config.auth == "oauth2" && !tokens) {
    return Result<std::unique_ptr<MailTransport>>::Error("smtp.auth = oauth2 but no oauth2.*");
  }
  return std::unique_ptr<MailTransport>(
      std::make_unique<SmtpTransport>(MakeSmtpSettings(config, mail, std::move(tokens))));
}

Result<std::unique_ptr<MailReader>> MakeMailReader(const Policy& policy) {
  return std::unique_ptr<MailReader>(
      std::make_unique<ParsedMailReader>(ReferencePattern(policy.reference_format)));
}

Result<std::unique_ptr<MessageClassifier>> MakeClassifier(const DaemonConfig& config) {
  Result<std::shared_ptr<const TextModel>> model = LoadTextModelFile(config.classifier_model);
  if (!model) return Result<std::unique_ptr<MessageClassifier>>::Error(model.error());
  ClassifierSettings settings;
  if (config.classifier_complaint_floor)
    settings.complaint_floor = *config.classifier_complaint_floor;
  if (config.classifier_complaint_sure) settings.complaint_sure = *config.classifier_complaint_sure;
  return std::unique_ptr<MessageClassifier>(std::make_unique<ModelClassifier>(*model, settings));
}

}  // namespace complaints
