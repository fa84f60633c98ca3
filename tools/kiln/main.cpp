// Entry point of the `kiln` command-line program (subcommands are being added).
#include <cstdio>
int main() {
  std::fputs("kiln: no subcommands yet\n", stderr);
  return 2;
}
