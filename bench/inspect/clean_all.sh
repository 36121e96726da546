#!/usr/bin/env bash
# clean_all.sh BIN DIR OUT: `kakehashi clean` on every file of DIR, one process per file.
BIN=$1 DIR=$2 OUT=$3
mkdir -p "$OUT"
for file in "$DIR"/*; do "$BIN" clean "$file" -o "$OUT/$(basename "$file")" > /dev/null 2>&1 || true; done
