// The router's navigate(), for code that runs outside components (a notification clicked, a message
// from the service worker). Set by App once the router exists.
type Navigate = (path: string) => void;

let navigate: Navigate = (path) => location.assign(path);

export function setNavigate(fn: Navigate): void {
  navigate = fn;
}

export function navigateTo(path: string): void {
  navigate(path);
}

/** Where a notification of a message leads: the room, at that message. */
export const messagePath = (roomId: number, messageId: number) => `/chat/${roomId}?message=${messageId}`;
