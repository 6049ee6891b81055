package io.starling.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA and two certificates it signs, made with openssl for one test: the server's (for
 * 127.0.0.1 and localhost) and a client's. PEM files in a directory.
 */
record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert,
    Path clientKey) {

  static TestCertificates create(Path directory) throws Exception {
    Files.createDirectories(directory);
    Path ca = directory.resolve("ca.pem");
    Path caKey = directory.resolve("ca-key.pem");
    openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2",
        "-subj", "/CN=starling-test-ca");
    TestCertificates made = new TestCertificates(ca, directory.resolve("server.pem"),
        directory.resolve("server-key.pem"), directory.resolve("client.pem"),
        directory.resolve("client-key.pem"));
    sign(directory, ca, caKey, "server", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    sign(directory, ca, caKey, "client", "extendedKeyUsage=clientAuth");
    return made;
  }

  private static void sign(Path directory, Path ca, Path caKey, String name, String extension)
      throws Exception {
    Path key = directory.resolve(name + "-key.pem");
    Path request = directory.resolve(name + ".csr");
    Path extensions = directory.resolve(name + ".ext");
    Files.writeString(extensions, extension + "\n");
    openssl(directory, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key.toString(), "-out", request.toString(), "-subj", "/CN=" + name);
    openssl(directory, "x509", "-req", "-in", request.toString(), "-CA", ca.toString(),
        "-CAkey", caKey.toString(), "-CAcreateserial", "-days", "2",
        "-extfile", extensions.toString(), "-out", directory.resolve(name + ".pem").toString());
  }

  private static void openssl(Path directory, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }

  /** An SSL context of a client that trusts the CA only. */
  SSLContext trustingCa() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
