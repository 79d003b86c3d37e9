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
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

int RunClassifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int RunClassifierCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

}  // namespace complaints
