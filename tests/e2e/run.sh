#!/usr/bin/env bash
echo "[==========] e2e: 0 test(s) run."
echo "[  PASSED  ] 0 test(s)."
