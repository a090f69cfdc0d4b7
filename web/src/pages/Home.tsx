export function Home() {
  return (
    <main class="home">
      <h1>VaultRoom</h1>
      <p>Secure chat and file sharing that you host yourself.</p>
    </main>
  );
}
