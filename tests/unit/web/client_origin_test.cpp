// The client address and TLS of a request: forwarded headers only from a trusted proxy.
#include <gtest/gtest.h>

#include "web/app.h"

namespace kakehashi::web {
namespace {

http::fields headers(std::initializer_list<std::pair<const char*, const char*>> list) {
  http::fields fields;
  for (const auto& [name, value] : list) fields.insert(name, value);
  return fields;
}

AppConfig trusting(std::vector<std::string> proxies) {
  AppConfig config;
  config.trusted_proxies = std::move(proxies);
  return config;
}

TEST(AddressMatches, AddressesAndNetworks) {
  EXPECT_TRUE(address_matches("10.0.0.5", "10.0.0.5"));
  EXPECT_FALSE(address_matches("10.0.0.6", "10.0.0.5"));
  EXPECT_TRUE(address_matches("10.1.2.3", "10.0.0.0/8"));
  EXPECT_FALSE(address_matches("11.1.2.3", "10.0.0.0/8"));
  EXPECT_TRUE(address_matches("192.0.2.130", "192.0.2.128/25"));
  EXPECT_FALSE(address_matches("192.0.2.127", "192.0.2.128/25"));
  EXPECT_TRUE(address_matches("::ffff:10.0.0.5", "10.0.0.5"));  // a dual-stack socket's form
  EXPECT_TRUE(address_matches("2001:db8::1", "2001:db8::/32"));
  EXPECT_FALSE(address_matches("2001:db9::1", "2001:db8::/32"));
  EXPECT_TRUE(address_matches("0.0.0.1", "0.0.0.0/0"));
  EXPECT_FALSE(address_matches("10.0.0.5", "10.0.0.0/33"));
  EXPECT_FALSE(address_matches("10.0.0.5", "10.0.0.0/"));
  EXPECT_FALSE(address_matches("not an address", "10.0.0.0/8"));
  EXPECT_FALSE(address_matches("10.0.0.5", "example.org"));
}

TEST(ClientOrigin, AnUntrustedPeerIsTheClientWhateverItForwards) {
  auto forged = headers({{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-Proto", "https"}});
  ClientOrigin origin = client_origin("203.0.113.9", forged, AppConfig{});
  EXPECT_EQ(origin.address, "203.0.113.9");
  EXPECT_FALSE(origin.secure);
  // Trusted proxies configured, but this peer is not one of them.
  origin = client_origin("203.0.113.9", forged, trusting({"10.0.0.0/8"}));
  EXPECT_EQ(origin.address, "203.0.113.9");
  EXPECT_FALSE(origin.secure);
}

TEST(ClientOrigin, BehindATrustedProxyTheRightMostUntrustedEntryIsTheClient) {
  AppConfig config = trusting({"10.0.0.0/8"});
  // The client claimed 1.2.3.4; the outer proxy 10.0.0.2 appended the address it saw, and the
  // inner proxy 10.0.0.3 appended the outer one.
  auto chain = headers({{"X-Forwarded-For", "1.2.3.4, 198.51.100.7, 10.0.0.2"}, {"X-Forwarded-Proto", "https"}});
  ClientOrigin origin = client_origin("10.0.0.3", chain, config);
  EXPECT_EQ(origin.address, "198.51.100.7");
  EXPECT_TRUE(origin.secure);
  // Several header lines are one list, in order; ports and brackets are dropped.
  auto split = headers({{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-For", "[2001:db8::7]:443"}});
  EXPECT_EQ(client_origin("10.0.0.3", split, config).address, "2001:db8::7");
  EXPECT_EQ(client_origin("10.0.0.3", headers({{"X-Forwarded-For", "198.51.100.7:5555"}}), config).address,
            "198.51.100.7");
  // No header: the proxy itself.
  EXPECT_EQ(client_origin("10.0.0.3", {}, config).address, "10.0.0.3");
  // Garbage where the client should be: the last hop we could believe.
  EXPECT_EQ(client_origin("10.0.0.3", headers({{"X-Forwarded-For", "unknown, 10.0.0.2"}}), config).address,
            "10.0.0.2");
  // The peer in IPv4-mapped form is the same proxy.
  EXPECT_EQ(client_origin("::ffff:10.0.0.3", chain, config).address, "198.51.100.7");
}

TEST(ClientOrigin, BehindProxyAloneTrustsOnlyTheProtocol) {
  AppConfig config;
  config.behind_proxy = true;
  auto forwarded = headers({{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-Proto", "https"}});
  ClientOrigin origin = client_origin("127.0.0.1", forwarded, config);
  EXPECT_EQ(origin.address, "127.0.0.1");
  EXPECT_TRUE(origin.secure);
  config.tls = true;
  EXPECT_TRUE(client_origin("127.0.0.1", {}, config).secure);
}

}  // namespace
}  // namespace kakehashi::web
