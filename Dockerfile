# Herald's container image: built in a full Debian toolchain stage, run from a slim stage with only the shared
# libraries herald-server needs, as an unprivileged user. ./dev.sh docker-build (docker build -t herald .).

FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config \
        qt6-base-dev \
        libspdlog-dev libhiredis-dev libjwt-dev libsystemd-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY common common
COPY server server
COPY resources resources
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DHERALD_SERVER_ONLY=ON \
    && cmake --build /build -j"$(nproc)" --target herald-server \
    && strip /build/server/herald-server

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libqt6core6 libqt6network6 \
        libspdlog1.10-fmt9 libfmt9 libhiredis0.14 libjwt0 libsystemd0 zlib1g libssl3 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --home-dir /var/lib/herald --shell /usr/sbin/nologin herald \
    && install -d -o herald -g herald -m 0750 /var/lib/herald /var/log/herald
COPY --from=build /build/server/herald-server /usr/bin/herald-server

USER herald
WORKDIR /var/lib/herald
ENV HOST=0.0.0.0 \
    PORT=8000 \
    LOG_DIR=/var/log/herald \
    LOG_FORMAT=json
EXPOSE 8000
VOLUME ["/var/log/herald"]
# /health answers 200 while serving (also with the Redis backplane degraded) and 503 once shutting down.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null || exit 1
# SIGTERM starts the graceful drain; give the container SHUTDOWN_TIMEOUT + 15 s to stop (docker run
# --stop-timeout, Compose stop_grace_period), or the drain is cut short by SIGKILL.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/herald-server"]
CMD ["--prod"]
