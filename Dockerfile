# syntax=docker/dockerfile:1

# Build with the Maven wrapper; tests run in CI, not in the image build.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -ntp package -DskipTests -Dspring-javaformat.skip=true \
    && cp target/hubspot-contacts-connector-*.jar /src/connector.jar

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system connector && useradd --system --gid connector --home-dir /app connector
WORKDIR /app
COPY --from=build /src/connector.jar /app/connector.jar
USER connector
ENV PORT=8000 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
# exec form: the JVM is PID 1 and receives SIGTERM for the graceful drain.
ENTRYPOINT ["java", "-jar", "/app/connector.jar"]
