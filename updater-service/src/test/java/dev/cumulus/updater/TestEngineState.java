package dev.cumulus.updater;

/** Whether the engine the tests need is there, without skipping the calling test. */
final class TestEngineState {

  private TestEngineState() {}

  static boolean available() {
    try {
      TestEngine.assumeAvailable();
      return true;
    } catch (org.opentest4j.TestAbortedException missing) {
      return false;
    }
  }
}
