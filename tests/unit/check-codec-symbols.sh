#!/bin/sh
# The codec is pure: no allocator, no I/O, no sockets, no processes, no
# clock.  Checked on what its object files actually call, not on what
# its sources say.
set -eu
lib="$1"
forbidden='^(malloc|calloc|realloc|reallocarray|free|strdup|strndup|aligned_alloc|posix_memalign|mmap|munmap|socket|bind|connect|send|sendto|sendmsg|recv|recvfrom|recvmsg|setsockopt|getsockopt|open|open64|openat|close|read|write|fopen|fopen64|fclose|fread|fwrite|printf|fprintf|puts|fputs|perror|exit|_exit|abort|fork|execve|execvp|clock_gettime|gettimeofday|time|localtime|localtime_r|getenv|setlocale|pcap_.*|mnl_.*)$'
syms=$(nm -u --format=posix "$lib" | grep -v ':$' | awk '{print $1}' | sed 's/@.*//' | grep -v -E '^(ctnl_|_GLOBAL_OFFSET_TABLE_|__asan|__ubsan|__sanitizer)' | sort -u)
bad=$(printf '%s\n' "$syms" | grep -E "$forbidden" || true)
if [ -n "$bad" ]; then
	echo "codec calls what it must not:"
	printf '  %s\n' $bad
	exit 1
fi
count=$(printf '%s\n' "$syms" | grep -c . || true)
echo "codec: $count undefined symbols, none of them an allocator, I/O, socket, process or clock call"
printf '%s\n' "$syms"
