/*
 * File-heavy: writes COUNT small files (default 1000 x 4 KiB) into ./bench-files/, reads them all
 * back, then writes and reads one big file (default 16 MiB) in 64 KiB chunks. Prints a checksum.
 * SEED (third argument) changes the bytes, so every run really rewrites every file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned char chunk[65536];

int main(int argc, char **argv) {
  int count = argc > 1 ? atoi(argv[1]) : 1000;
  long big = argc > 2 ? atol(argv[2]) : 16L * 1024 * 1024;
  int seed = argc > 3 ? atoi(argv[3]) : 0;
  char path[256];
  char small[4096];
  unsigned long sum = 0;
  mkdir("bench-files", 0777);
  for (int i = 0; i < count; i++) {
    memset(small, 'a' + (i + seed) % 26, sizeof small);
    snprintf(path, sizeof path, "bench-files/f%04d.txt", i);
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); return 1; }
    fwrite(small, 1, sizeof small, f);
    fclose(f);
  }
  for (int i = 0; i < count; i++) {
    snprintf(path, sizeof path, "bench-files/f%04d.txt", i);
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 1; }
    size_t n = fread(small, 1, sizeof small, f);
    for (size_t k = 0; k < n; k++) sum += small[k];
    fclose(f);
  }
  for (size_t k = 0; k < sizeof chunk; k++) chunk[k] = (unsigned char)(k * 7 + seed);
  FILE *f = fopen("bench-files/big.bin", "wb");
  if (!f) { perror("big.bin"); return 1; }
  for (long left = big; left > 0; left -= sizeof chunk) fwrite(chunk, 1, left < (long)sizeof chunk ? (size_t)left : sizeof chunk, f);
  fclose(f);
  f = fopen("bench-files/big.bin", "rb");
  if (!f) { perror("big.bin"); return 1; }
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) for (size_t k = 0; k < n; k += 4096) sum += chunk[k];
  fclose(f);
  printf("%lu\n", sum);
  return 0;
}
