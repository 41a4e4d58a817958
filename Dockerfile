# syntax=docker/dockerfile:1
# copydesk's container image, for GitLab CI and other container runners: a
# static (musl) binary on Alpine, which keeps a shell for CI scripts.
#
#   docker build -t copydesk .
#   docker run --rm -v "$PWD:/work" copydesk check
#
# The build stage compiles with the release profile (stripped, LTO, one
# codegen unit: see Cargo.toml), for the machine's own architecture.

ARG RUST_VERSION=1.95
ARG ALPINE_VERSION=3

FROM rust:${RUST_VERSION}-alpine AS build
# The C parts of mimalloc and ring are compiled against musl's headers.
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# The target is named so that RUSTFLAGS reach only it: a static C runtime
# for the binary, while build scripts and proc-macros stay dynamic (which
# proc-macros must be).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    target="$(uname -m)-unknown-linux-musl" \
 && RUSTFLAGS="-C target-feature=+crt-static" \
    cargo build --release --locked -p copydesk-cli --target "$target" \
 && cp "target/$target/release/copydesk" /copydesk \
 && /copydesk --version

FROM alpine:${ALPINE_VERSION}
COPY --from=build /copydesk /usr/local/bin/copydesk
# Articles are mounted here; copydesk finds copydesk.toml from the
# working directory up.
WORKDIR /work
ENTRYPOINT ["copydesk"]
CMD ["check"]
