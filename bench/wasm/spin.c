/* A busy loop with no system calls: nothing to check an interrupt in, so Stop must end the worker. */
int main(void) {
  volatile unsigned long n = 0;
  for (;;) n++;
}
