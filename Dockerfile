# syntax=docker/dockerfile:1

# Base images: the official Temurin ones by default. Any Debian- or Ubuntu-based image with
# `java` on the PATH (a JDK for the build stage, a JRE for the runtime) can stand in, e.g.
# where Docker Hub cannot be reached: see scripts/container/make-base-images.sh.
ARG BUILD_IMAGE=eclipse-temurin:21-jdk
ARG JRE_IMAGE=eclipse-temurin:21-jre

# Build with the Maven wrapper; tests run in CI, not in the image build.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -ntp package -DskipTests -Dspring-javaformat.skip=true \
    && cp target/hubspot-contacts-connector-*.jar /src/connector.jar

# Everything but the jar: curl for the health check and an unprivileged user whose uid/gid
# (10001) is fixed, so Kubernetes' runAsNonRoot/runAsUser can check it.
FROM ${JRE_IMAGE} AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 connector \
    && useradd --uid 10001 --gid connector --no-log-init --no-create-home --home-dir /app \
        --shell /usr/sbin/nologin connector
WORKDIR /app
USER 10001:10001
# PORT: the HTTP port (the connector reads it itself). JAVA_OPTS: extra JVM options, e.g.
# -Xmx200m; they come after JAVA_TOOL_OPTIONS' defaults on the command line, so they win.
# C1 alone and the serial collector: a bulk import right after a start is bound by the JIT
# and the cores, and once warm by HubSpot's budget (BENCHMARKS.md, 2026-12-03).
ENV PORT=8000 \
    JAVA_OPTS="" \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CompileThresholdScaling=0.05"
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
# sh only expands JAVA_OPTS, then exec replaces it: the JVM is PID 1 and receives SIGTERM
# for the graceful drain. Arguments given to `docker run IMAGE ...` reach the connector.
# The CDS archive (below) halves the start; JAVA_OPTS=-Xshare:off turns it off.
ENTRYPOINT ["/bin/sh", "-c", "exec java -XX:SharedArchiveFile=/app/connector.jsa $JAVA_OPTS -jar /app/connector.jar \"$@\"", "connector"]

# Class Data Sharing, in both targets below: the jar extracted (Spring Boot's tools jar mode) and a training run
# that starts the application context and exits, in the runtime image itself, since the
# archive holds only for the JVM build and class path it was made with (relative to /app).
# Dummy tokens pass the start-up check; nothing is called before the context is refreshed.
# `--target prebuilt`: the jar that `./mvnw package` left in target/, no Maven in the build.
FROM runtime AS prebuilt
USER root
COPY target/hubspot-contacts-connector-*.jar /tmp/connector.jar
RUN java -Djarmode=tools -jar /tmp/connector.jar extract --destination /tmp/extracted \
    && cp -r /tmp/extracted/. /app/ && rm -rf /tmp/extracted /tmp/connector.jar \
    && cd /app && ACCESS_TOKEN=training API_TOKEN=training \
       java -XX:ArchiveClassesAtExit=/app/connector.jsa -Dspring.context.exit=onRefresh -jar /app/connector.jar \
    && chmod a+r /app/connector.jsa
USER 10001:10001

# The default target: the jar from the build stage above, extracted, with its archive.
FROM runtime
USER root
COPY --from=build /src/connector.jar /tmp/connector.jar
RUN java -Djarmode=tools -jar /tmp/connector.jar extract --destination /tmp/extracted \
    && cp -r /tmp/extracted/. /app/ && rm -rf /tmp/extracted /tmp/connector.jar \
    && cd /app && ACCESS_TOKEN=training API_TOKEN=training \
       java -XX:ArchiveClassesAtExit=/app/connector.jsa -Dspring.context.exit=onRefresh -jar /app/connector.jar \
    && chmod a+r /app/connector.jsa
USER 10001:10001
