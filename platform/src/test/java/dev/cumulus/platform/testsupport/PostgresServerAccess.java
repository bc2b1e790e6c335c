package dev.cumulus.platform.testsupport;

/** Lets test code outside this package parse a server URL the same way the support does. */
public final class PostgresServerAccess {

  private PostgresServerAccess() {}

  public static PostgresServer fromUrl(String url) {
    return PostgresServer.fromUrl(url);
  }

  /** The URL form {@link #fromUrl} reads back. */
  public static String toUrl(PostgresServer pg) {
    String credentials = pg.password().isEmpty() ? pg.user() : pg.user() + ":" + pg.password();
    return "postgresql://" + credentials + "@" + pg.host() + ":" + pg.port() + "/postgres";
  }
}
