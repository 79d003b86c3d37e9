// complaintsctl: the staff and admin tool. All the work is in RunCtl.
#include <iostream>
#include <string>
#include <vector>

#include "daemon/ctl/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv + 1, argv + argc);
  const int code = complaints::RunCtl(args, std::cout, std::cerr);
  std::cout.flush();
  return code;
}
