# The two commands of the README. Both install missing Debian packages first.
BUILD ?= _build

.PHONY: all deps build run test bench fuzz flatpak clean

all: build

deps:
	build-aux/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	GSETTINGS_SCHEMA_DIR=$(BUILD)/resources ./$(BUILD)/app/handshake-lens

test: build
	BUILD=$(BUILD) build-aux/run-tests

bench: build
	./$(BUILD)/tests/bench/bench-engine
	@echo
	./$(BUILD)/tests/bench/bench-live
	@echo
	@# the diagram and launch benchmarks need a display: Xvfb when there is none (like make test)
	if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  GTK_A11Y=none GSK_RENDERER=cairo sh -c './$(BUILD)/tests/bench/bench-render && echo && \
	    ./$(BUILD)/tests/bench/bench-launch'; \
	else \
	  GTK_A11Y=none GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1 \
	    xvfb-run -a -s "-screen 0 1920x1080x24" sh -c './$(BUILD)/tests/bench/bench-render && \
	    echo && ./$(BUILD)/tests/bench/bench-launch'; \
	fi

FUZZ_SECONDS ?= 60
fuzz:
	build-aux/install-deps --fuzz
	tests/fuzz/run-fuzzers $(FUZZ_SECONDS)

FLATPAK_MANIFEST = flatpak/io.github.handshakelens.HandshakeLens.json
# Builds and installs the Flatpak (user installation) where the GNOME 50 runtime is available.
flatpak:
	@command -v flatpak-builder >/dev/null 2>&1 || { \
	  echo "make flatpak: flatpak-builder is missing (Debian: apt-get install flatpak-builder)"; \
	  exit 1; }
	@for ref in org.gnome.Platform//50 org.gnome.Sdk//50; do \
	  flatpak info "$$ref" >/dev/null 2>&1 || { \
	    echo "make flatpak: the runtime $$ref is not installed, so the Flatpak cannot be"; \
	    echo "built here. With network access: flatpak install flathub $$ref"; \
	    exit 1; }; \
	done
	flatpak-builder --user --install --force-clean _flatpak $(FLATPAK_MANIFEST)

clean:
	rm -rf $(BUILD) _build-asan _build-fuzz _build-ci _flatpak .flatpak-builder
