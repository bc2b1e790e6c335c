package dev.cumulus.integration.notification.domain;

import java.util.List;

/**
 * A user's e-mail choice.
 *
 * @param emailTypes the notification types sent by e-mail; empty means all
 */
public record Preferences(String email, boolean emailEnabled, List<String> emailTypes) {

  public boolean wants(String type) {
    return emailEnabled && (emailTypes.isEmpty() || emailTypes.contains(type));
  }
}
