/** The agent's chat. */
export function ChatPane() {
  return (
    <section className="chat" aria-label="Chat with the agent">
      <div className="pane-title">Agent</div>
      <div className="chat-messages" data-testid="chat-messages" />
    </section>
  );
}
