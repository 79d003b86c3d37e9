// LeakSanitizer, when linked in, reads its built-in suppressions from this hook.
//
// Fontconfig stores pointers inside its patterns as encoded offsets, which LeakSanitizer cannot
// follow, so the font cache that pango loads once per process shows up at exit as a leak (about
// 25 KB, the same after one letter or fifty). Only fontconfig's own allocations are suppressed.
extern "C" const char* __lsan_default_suppressions();

extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
