// The course as sold (../shared/seed/course-seed.txt): the landing page's words. Where the seed's
// wording is out of date, the page says what replaced it (see the notes after each FAQ answer).
export const pitch = {
  title: "Best Practices for Writing MCP Servers",
  tagline:
    "An advanced, practical course on designing, implementing, securing, and operationalizing MCP servers for experienced developers building tools for AI agents, LLM applications, and RAG systems.",
  intro:
    "An intensive course for experienced programmers who know Python and the AI/ML/LLM ecosystem and want to design production MCP servers in line with the current specification and industry practices. You model tools, resources and prompts contracts, choose the transport, add OAuth authorization, design ergonomic input/output schemas, reduce prompt-injection risk, and make the server observable, tested and deployable. Every lab is graded for real: your server runs in a sandbox and our conformance suite drives it over the protocol, check by check.",
  facts: ["40 hours", "Advanced", "Certificate on completion", "Labs graded over the real protocol"],
  outcomes: [
    "Explain the MCP architecture and correctly separate responsibilities between tools, resources, and prompts.",
    "Design an MCP server in Python using the official Tier 1 SDK and choose the appropriate transport: stdio or Streamable HTTP (and know what legacy HTTP+SSE means for old clients).",
    "Design stable, minimal, and secure input/output contracts based on JSON Schema for MCP tools.",
    "Implement secure authentication and authorization for a remote MCP server using OAuth 2.1, including bearer tokens, audience-bound tokens, HTTPS, and token rotation.",
    "Reduce the risks of prompt injection, data exfiltration, and privilege abuse, taking into account the client-server trust model and human-in-the-loop for sampling.",
    "Use sampling, elicitation, and roots as the specification now requires: only in association with an active client request — and know what revision 2026-07-28 replaces them with.",
    "Add logging, tracing, metrics, limits, timeouts, retries, and idempotency so that the server is operationally ready for production.",
    "Prepare contract and integration tests with the MCP Inspector and a production deployment checklist.",
  ],
  prerequisites:
    "Excellent knowledge of Python 3.11+, HTTP/JSON, async programming (asyncio), FastAPI or a similar web framework, basic OAuth 2.0, Docker, and practical experience with LLM/RAG/AI agents. You should understand the difference between tool calling, retrieval, and agent orchestration, and be able to read JSON Schema. Recommended: experience with integration tests, observability, and backend service deployment. Labs can be solved in Python or TypeScript.",
  faq: [
    {
      question: "Who is this course for?",
      answer:
        "Experienced developers who know Python and the AI/ML/LLM ecosystem and want to design MCP servers ready for production: people building agent integrations, developer tools, workflow automation, and secure data access layers.",
    },
    {
      question: "Is it up to date with the specification?",
      answer:
        "Yes. It teaches revision 2025-11-25, which most clients speak today, and revision 2026-07-28 with its deprecations (stateless requests, server/discover, multi-round-trip requests in place of server-to-client requests). Streamable HTTP is the transport for remote servers; the older HTTP+SSE transport survives only for backward compatibility.",
    },
    {
      question: "What will I actually build?",
      answer:
        "Tools, resources and prompts contracts, ergonomic input/output schemas, the right transport, an OAuth-protected server, observability, compatibility tests and prompt-injection defences. Each module ends in a lab that our grader runs against your code over the real protocol.",
    },
    {
      question: "Does it cover security in depth?",
      answer:
        "It is one of the key modules: the MCP trust model, OAuth authorization for remote servers, input and output validation, least privilege and prompt-injection mitigation, with real incidents from 2025 and 2026 as case studies.",
    },
    {
      question: "Do I need to know the old HTTP+SSE transport?",
      answer:
        "You learn when stdio fits local integrations, how to understand legacy HTTP+SSE when an old client needs it, and why modern remote deployments rely on Streamable HTTP, so you can choose by client type, network requirements and session model.",
    },
    {
      question: "Why learn MCP now?",
      answer:
        "MCP is becoming the standard way to connect models to tools and data. Official SDKs, a server registry and broad client support exist; it is a good time to go deeper than tutorials and build servers that stay maintainable as the protocol evolves.",
    },
  ],
} as const;
