/* Wine 8.0 (Debian bookworm) has no bcryptprimitives.dll, which Go 1.24 and
   newer load at startup for ProcessPrng. This stand-in forwards to
   advapi32's RtlGenRandom (SystemFunction036) so that Go test binaries for
   windows/amd64 run under wine. Built with x86_64-w64-mingw32-gcc by
   tests/tests/calln.rs into the test's private WINEPREFIX; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
