package dev.cumulus.platform.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;

/**
 * An image pull's progress stream, failed by the first item reporting an error, with the engine's
 * own message (podman: "manifest unknown", "unauthorized", ...). Not docker-java's {@code
 * PullImageResultCallback}: it reads the first item's {@code status}, which podman's Docker API
 * leaves out, so every pull, failed or not, ends in a NullPointerException. Whether the image
 * arrived is for the caller's inspect to say.
 *
 * <p>Use: {@code pull.exec(new PullProgress()).awaitCompletion(...)} rethrows the error.
 */
public final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {

  @Override
  public void onNext(PullResponseItem item) {
    if (item.isErrorIndicated()) {
      onError(new IllegalStateException(messageOf(item)));
    }
  }

  private static String messageOf(PullResponseItem item) {
    if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
      return item.getErrorDetail().getMessage();
    }
    return String.valueOf(item.getError());
  }
}
