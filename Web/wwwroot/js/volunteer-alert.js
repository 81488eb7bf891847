// Getting the volunteer's attention for a new offer: a short beep (Web Audio, no sound file), a vibration
// where the device allows, and a system notification when the page is in the background.
let audio;

/** Creates or resumes the audio context; call it from a tap (browsers only allow sound after one). */
export function unlockAudio() {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch {
    audio = undefined;
  }
}

function beep() {
  if (!audio || audio.state !== 'running') return;
  const start = audio.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.22, 1175]]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.4, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.2);
  }
}

function vibrate() {
  // Browsers refuse (and complain) before the user has tapped the page.
  if (typeof navigator.vibrate === 'function' && navigator.userActivation?.hasBeenActive) {
    navigator.vibrate([200, 100, 200]);
  }
}

function notify(title, body, tag) {
  if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  // Through the service worker where there is one: its notifications share the tag (the request) with the pushed
  // ones, so one replaces the other silently instead of alerting twice, and a click opens the page on the offer.
  const data = { kind: 'page', requestId: tag, url: `/volunteer?offer=${encodeURIComponent(tag)}` };
  const registration = navigator.serviceWorker?.controller ? navigator.serviceWorker.ready : Promise.reject(new Error('no worker'));
  registration
    .then(r => r.showNotification(title, { body, tag, data, icon: '/icons/volunteer-192.png' }))
    .catch(() => {
      try {
        const notification = new Notification(title, { body, tag, icon: '/icons/volunteer-192.png' });
        notification.onclick = () => { window.focus(); notification.close(); };
      } catch {
        // Some mobile browsers allow notifications only through a service worker.
      }
    });
}

/** Beep, vibrate and (in the background) notify. */
export function alertNewOffer({ title, body, tag }) {
  beep();
  vibrate();
  notify(title, body, tag);
}
