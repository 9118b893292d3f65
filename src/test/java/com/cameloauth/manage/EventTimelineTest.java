package com.cameloauth.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.cameloauth.observe.ApiCallHistory;
import com.cameloauth.observe.MovableClock;
import com.cameloauth.token.TokenEvent;

/** The timeline SVG with API call outcomes: parsed as XML, its bars, tooltips and text alternative checked. */
class EventTimelineTest {

    @Test
    void showsApiCallOutcomesPerMinuteWithATextAlternative() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T11:10:30Z"));
        ApiCallHistory history = new ApiCallHistory(clock);
        history.apiCall("orders", 200); // 11:10, leaves the window by 12:10:30
        clock.advance(Duration.ofMinutes(30));
        history.apiCall("orders", 200);
        history.apiCall("orders", 200);
        history.apiCall("orders", 401);
        history.apiCall("orders", 200);
        clock.advance(Duration.ofMinutes(29));
        history.apiCall("orders", 503);
        clock.advance(Duration.ofMinutes(1));
        Instant now = clock.instant(); // 12:10:30
        List<TokenEvent> events = List.of(new TokenEvent(TokenEvent.Type.REPLAYED, "orders", now.minusSeconds(40 * 60), "ab12", null));

        Document svg = parse(EventTimeline.render(events, history.lastHour("orders"), now, ApiCallHistory.WINDOW));

        Element root = svg.getDocumentElement();
        assertEquals("img", root.getAttribute("role"));
        assertEquals("timeline-title timeline-desc", root.getAttribute("aria-labelledby"));
        assertEquals("1 token event(s) in the last 60 minutes and 5 API call(s), up to 12:10:30 UTC", text(root, "title", "timeline-title"));
        assertEquals("Token events: 1 REPLAYED. API calls: 5 API call(s): 3 2xx, 1 4xx, 1 5xx."
                + " Minutes with failed calls (UTC): 11:40, 12:09.", text(root, "desc", "timeline-desc"));

        List<Element> bars = byClass(root, "calls");
        assertEquals(2, bars.size(), "the 11:10 minute is older than an hour");
        assertEquals("11:40", bars.get(0).getAttribute("data-minute"));
        assertEquals("4", bars.get(0).getAttribute("data-total"));
        assertEquals("11:40 UTC: 4 API call(s): 3 2xx, 1 4xx", bars.get(0).getElementsByTagName("title").item(0).getTextContent());
        List<String> outcomes = new ArrayList<>();
        NodeList rects = bars.get(0).getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            outcomes.add(r.getAttribute("data-outcome") + "=" + r.getAttribute("data-count"));
        }
        assertEquals(List.of("2xx=3", "4xx=1"), outcomes);
        assertEquals("12:09", bars.get(1).getAttribute("data-minute"));
        double busiest = height(bars.get(0));
        assertEquals(busiest / 4, height(bars.get(1)), 0.2, "bars scale with the minute's calls");
        double x1140 = Double.parseDouble(((Element) rects.item(0)).getAttribute("x"));
        double x1209 = Double.parseDouble(((Element) bars.get(1).getElementsByTagName("rect").item(0)).getAttribute("x"));
        assertTrue(x1140 < x1209 && x1209 < EventTimeline.WIDTH, "older minutes left of newer ones");
        assertEquals(1, byClass(root, "event").size());
    }

    @Test
    void withoutCallsTheTextSaysSo() throws Exception {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Document svg = parse(EventTimeline.render(List.of(), List.of(), now, Duration.ofHours(1)));
        assertEquals("Token events: none. API calls: none.", text(svg.getDocumentElement(), "desc", "timeline-desc"));
        assertEquals(0, byClass(svg.getDocumentElement(), "calls").size());
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Element root, String tag, String id) {
        NodeList nodes = root.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e.getTextContent();
            }
        }
        throw new AssertionError("no <" + tag + " id=" + id + ">");
    }

    private static List<Element> byClass(Element root, String cls) {
        List<Element> found = new ArrayList<>();
        NodeList groups = root.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (cls.equals(g.getAttribute("class"))) {
                found.add(g);
            }
        }
        return found;
    }

    private static double height(Element bar) {
        double h = 0;
        NodeList rects = bar.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            h += Double.parseDouble(((Element) rects.item(i)).getAttribute("height"));
        }
        return h;
    }
}
