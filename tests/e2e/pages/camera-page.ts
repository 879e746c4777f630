// Test page: runs the renderer's real camera check and exposes the report to the test.
import { checkCamera } from '../../../renderer/camera/capture';
import type { CameraReport, CameraSettings } from '../../../electron/station-api';

declare global {
  interface Window {
    runCameraCheck: (settings: CameraSettings) => Promise<CameraReport>;
  }
}

window.runCameraCheck = async (settings) => {
  const video = document.createElement('video');
  document.body.append(video);
  const { report } = await checkCamera(settings, video);
  video.remove();
  return report;
};
