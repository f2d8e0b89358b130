/** glibc's strerror() texts for the errno names the socket code meets. */
export const STRERROR_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOTSOCK: 'Socket operation on non-socket',
  EROFS: 'Read-only file system',
  EPIPE: 'Broken pipe',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EINVAL: 'Invalid argument',
  EAGAIN: 'Resource temporarily unavailable',
  ENODEV: 'No such device',
};

/** glibc's gai_strerror() texts for the getaddrinfo() failures the socket code meets. */
export const GAI_STRERROR_TEXT: Readonly<Record<string, string>> = {
  EAI_NONAME: 'Name or service not known',
  EAI_SERVICE: 'Servname not supported for ai_socktype',
  EAI_ADDRFAMILY: 'Address family for hostname not supported',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
};

/**
 * strerror() of an errno name, or gai_strerror() of an EAI_ name; text
 * that names no known error is printed as it is.
 */
export function strerror(errno: string): string {
  return STRERROR_TEXT[errno] ?? GAI_STRERROR_TEXT[errno] ?? errno;
}
