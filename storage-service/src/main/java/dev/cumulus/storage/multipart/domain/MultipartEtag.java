package dev.cumulus.storage.multipart.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The ETag S3 gives a multipart object: the MD5 of the parts' binary MD5s, a dash and the number of
 * parts ({@code "<hex>-<n>"}). Clients such as awscli compare it with their own computation.
 */
public final class MultipartEtag {

  private MultipartEtag() {}

  public static String of(List<String> partMd5Hex) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      for (String part : partMd5Hex) {
        md5.update(HexFormat.of().parseHex(part));
      }
      return HexFormat.of().formatHex(md5.digest()) + "-" + partMd5Hex.size();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
