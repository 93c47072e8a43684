# Shortcuts over scripts/ (the README's two quick-start commands do not need make).
#
#   make serve        build the browser app and serve it on http://127.0.0.1:8080
#   make test         the whole test suite (what CI runs)
#   make bench        every benchmark, side by side with the peers; rewrites BENCHMARKS.md
#   make bench-quick  the short version CI runs (prints, leaves BENCHMARKS.md alone)
#   make fuzz         ten million executions of every fuzz target (nightly toolchain)

.PHONY: serve test bench bench-quick fuzz

serve:
	bash scripts/serve.sh

test:
	bash scripts/test.sh

# Engine (native and wasm in Node) and server against smtp-sink and aiosmtpd, then the browser.
bench:
	bash scripts/setup.sh
	bash scripts/bench.sh
	bash scripts/browser-bench.sh

bench-quick:
	bash scripts/setup.sh
	bash scripts/bench.sh --quick
	bash scripts/browser-bench.sh --quick

fuzz:
	bash scripts/setup.sh
	bash scripts/fuzz.sh
