// The landlord's email templates: one file each in templates/, mustache syntax, editable by staff.
//
// NAME.txt starts with a "Subject: ..." line, a blank line, then the plain-text body; NAME.html,
// when present, is the HTML part (otherwise the HTML is made from the text). Load() parses every
// template and renders each with sample data, so a broken template is reported at start-up, not
// when a resident is waiting. Values are inserted as they are in the text part and HTML-escaped in
// the HTML part. Immutable after loading; safe to share.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

struct RenderedMail {
  std::string subject;
  std::string text;
  std::string html;  // empty when the template has no HTML file
};

class MailTemplates {
 public:
  // Every template the daemon sends; Load() fails naming each one missing or broken.
  static const std::vector<std::string>& RequiredNames();

  static Result<MailTemplates> Load(const std::string& dir);
  // From memory: name -> {txt, html}. For tests.
  static Result<MailTemplates> FromSources(
      const std::map<std::string, std::pair<std::string, std::string>>& sources,
      const std::string& where);

  Result<RenderedMail> Render(const std::string& name, const nlohmann::json& values) const;

 private:
  struct Source {
    std::string subject, text, html;
  };
  std::map<std::string, Source> sources_;
};

// The values every template may use, with plausible content: what Load() renders to check.
nlohmann::json SampleTemplateValues();

}  // namespace complaints
