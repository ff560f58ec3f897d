/**
 * A start-up hook compiled into every C/C++ program Isobox builds, so the program starts in its
 * working directory as on Linux.
 *
 * wasi-libc has no way to be told a working directory: it starts at `/` and resolves a relative
 * path as if it were absolute, so `/x` and `x` reach the host as the same string. The hook runs
 * before `main`: it `chdir`s to `$PWD` (which links wasi-libc's cwd tracking, so every path is
 * made absolute first), then registers the `/` preopen (fd 3) again, which makes it the preopen
 * wasi-libc picks for `/` and for any absolute path outside `/workspace` and `/tmp` (the runner's
 * `.` preopen, which programs without the hook need, would win otherwise).
 */

/** Where the header sits in the toolchain's virtual root (clang runs with cwd `/`). */
export const START_IN_PWD_PATH = '/.isobox-start-in-pwd.h';

/** The header, `-include`d into every translation unit; a weak flag makes it run once per program. */
export const START_IN_PWD_SOURCE = `#pragma clang system_header
#ifdef __cplusplus
extern "C" {
#endif
char *getenv(const char *);
int chdir(const char *);
int __wasilibc_register_preopened_fd(int, const char *);
__attribute__((weak)) int __isobox_started_in_pwd;
#ifdef __cplusplus
}
#endif
__attribute__((constructor, used)) static void __isobox_start_in_pwd(void) {
  const char *pwd;
  if (__isobox_started_in_pwd) return;
  __isobox_started_in_pwd = 1;
  pwd = getenv("PWD");
  if (pwd && chdir(pwd) == 0) __wasilibc_register_preopened_fd(3, "/");
}
`;

/** The compiler flags that include the hook. */
export const START_IN_PWD_FLAGS = ['-include', START_IN_PWD_PATH];
