#!/bin/sh
# Generates configure and the Makefile.in files from a fresh checkout.
set -e
autoreconf --install --force
