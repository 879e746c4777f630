// Test page: runs the renderer's real camera check and exposes the report to the test; and the
// daily check's way of using it: the preview kept open and watched, every verdict update collected.
import { checkCamera } from '../../../renderer/camera/capture';
import type { CameraReport, CameraSettings } from '../../../electron/station-api';
import type { WatchedCamera } from '../../helpers/fake-camera';

declare global {
  interface Window {
    runCameraCheck: (settings: CameraSettings) => Promise<CameraReport>;
    runCameraWatch: (settings: CameraSettings, watchMs: number) => Promise<WatchedCamera>;
  }
}

window.runCameraCheck = async (settings) => {
  const video = document.createElement('video');
  document.body.append(video);
  const { report } = await checkCamera(settings, video);
  video.remove();
  return report;
};

window.runCameraWatch = async (settings, watchMs) => {
  const video = document.createElement('video');
  document.body.append(video);
  const updates: WatchedCamera['updates'] = [];
  const { report, stream } = await checkCamera(settings, video, {
    keepOpen: true,
    watch: { onUpdate: (update, settled) => updates.push({ report: update, settled }) },
  });
  await new Promise((resolve) => setTimeout(resolve, watchMs));
  stream?.getTracks().forEach((track) => track.stop());
  video.remove();
  return { first: report, updates };
};
