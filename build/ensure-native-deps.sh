#!/usr/bin/env bash
# Makes sure the native libraries OpenCvSharp needs on Debian are present (called by the build).
# OpenCvSharp's libOpenCvSharpExtern.so links against GTK 3, libdrm and libatomic, which a minimal Debian 12
# (debootstrap --variant=minbase, or a slim container) lacks.
set -u
have() { ldconfig -p 2>/dev/null | grep -q "$1"; }
missing=()
have 'libgtk-3.so.0' || missing+=(libgtk-3-0)
have 'libdrm.so.2' || missing+=(libdrm2)
have 'libatomic.so.1' || missing+=(libatomic1)
have 'libgomp.so.1' || missing+=(libgomp1)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Nuclei: installing native libraries OpenCV/libtorch need: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
     { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; }; then
    exit 0
  fi
  echo "error: Nuclei needs the Debian packages ${missing[*]} and 'apt-get install' failed; install them and build again." >&2
  exit 1
fi
echo "error: Nuclei needs the system libraries ${missing[*]} (OpenCV's native library links against GTK 3)." >&2
echo "       Install them, e.g. 'sudo apt-get install ${missing[*]}', then build again." >&2
exit 1
