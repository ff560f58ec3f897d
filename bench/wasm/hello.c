#include <stdio.h>

int main(void) {
  printf("hello from clang\n");
  return 0;
}
