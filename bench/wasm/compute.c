/* Compute-bound: counts primes below N by trial division (default 2000000); no I/O in the loop. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000;
  long count = 0;
  for (long i = 2; i < n; i++) {
    int prime = 1;
    for (long d = 2; d * d <= i; d++) {
      if (i % d == 0) { prime = 0; break; }
    }
    count += prime;
  }
  printf("%ld\n", count);
  return 0;
}
