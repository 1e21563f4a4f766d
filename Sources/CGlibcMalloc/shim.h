// glibc's malloc tuning (mallopt), which the Glibc module leaves out; for the vigil CLI.
#include <malloc.h>
