package dev.cumulus.storage.access.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessControlListTests {

  static final Principal OTHER = new Principal("other", false);

  @Test
  void cannedAclsGrantWhatAwsDocumentsForThem() {
    AccessControlList publicRead = CannedAcl.PUBLIC_READ.toAcl("owner", "owner");
    assertThat(publicRead.allows(Principal.ANONYMOUS, Permission.READ, false)).isTrue();
    assertThat(publicRead.allows(Principal.ANONYMOUS, Permission.WRITE, false)).isFalse();
    assertThat(publicRead.allows(Principal.ANONYMOUS, Permission.READ, true))
        .as("IgnorePublicAcls")
        .isFalse();
    assertThat(publicRead.isPublic()).isTrue();

    AccessControlList authenticated = CannedAcl.AUTHENTICATED_READ.toAcl("owner", "owner");
    assertThat(authenticated.allows(OTHER, Permission.READ, false)).isTrue();
    assertThat(authenticated.allows(Principal.ANONYMOUS, Permission.READ, false)).isFalse();

    AccessControlList publicWrite = CannedAcl.PUBLIC_READ_WRITE.toAcl("owner", "owner");
    assertThat(publicWrite.allows(Principal.ANONYMOUS, Permission.WRITE, false)).isTrue();

    AccessControlList ownerRead = CannedAcl.BUCKET_OWNER_READ.toAcl("writer", "owner");
    assertThat(ownerRead.allows(new Principal("owner", true), Permission.READ, false)).isTrue();
    assertThat(ownerRead.allows(new Principal("writer", false), Permission.WRITE_ACP, false))
        .as("the writer's FULL_CONTROL")
        .isTrue();

    AccessControlList privateAcl = CannedAcl.PRIVATE.toAcl("owner", "owner");
    assertThat(privateAcl.ownerFullControlOnly()).isTrue();
    assertThat(privateAcl.allows(OTHER, Permission.READ, false)).isFalse();
    assertThat(CannedAcl.BUCKET_OWNER_FULL_CONTROL.toAcl("owner", "owner").ownerFullControlOnly())
        .isTrue();
    assertThat(CannedAcl.of("bogus")).isNull();
  }
}
