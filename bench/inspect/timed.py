#!/usr/bin/env python3
"""Runs a command with its output discarded and prints "WALL CPU" in seconds, CPU being the
user + system time of the command and all its children (robust when other jobs share the
machine). usage: timed.py COMMAND [ARG...]"""
import resource
import subprocess
import sys
import time

before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{wall:.3f} {cpu:.3f}")
